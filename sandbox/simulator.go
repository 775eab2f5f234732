package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/capgen/capgen/internal/model"
)

// Call is one request the provider simulator served.
type Call struct {
	Operation string // "" when no operation matched
	Method    string
	Path      string
	Status    int
	// Outcome is "ok", or the kind of error rule the simulator's failure
	// was built from: "missing_scope", "expired", "invalid_credentials",
	// or "forbidden" for a provider without a missing_scope rule; and
	// "not_found" when no operation matched.
	Outcome string
	// Scopes are the scopes the bearer token was granted, for a valid token.
	Scopes []string
}

// simulator serves every operation of a provider spec: it checks the bearer
// token with the authorization server, the token's scopes against the
// operation's requirement, and answers failures in the provider's own shape.
type simulator struct {
	provider *model.Provider
	auth     *authServer
	routes   []route
	samples  *sampler

	mu    sync.Mutex
	calls []Call
}

func newSimulator(p *model.Provider, auth *authServer, at time.Time) *simulator {
	return &simulator{provider: p, auth: auth, routes: newRoutes(p.Operations),
		samples: newSampler(p, at)}
}

// ServeHTTP answers one API call.
func (s *simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := Call{Method: r.Method, Path: r.URL.Path}
	defer func() { s.record(call) }()

	rt, ok := match(s.routes, r.Method, r.URL.EscapedPath())
	if !ok {
		call.Status, call.Outcome = http.StatusNotFound, "not_found"
		writeJSON(w, call.Status, map[string]any{
			"message": "no operation of the " + s.provider.Name + " spec matches this method and path"})
		return
	}
	call.Operation = rt.op.Name

	state, scopes := s.auth.check(r.Context(), s.token(r))
	switch {
	case state == tokenExpired:
		s.fail(w, &call, nativeFailureOf(s.provider, kindExpired, nil))
	case state == tokenInvalid:
		s.fail(w, &call, nativeFailureOf(s.provider, kindInvalid, nil))
	default:
		call.Scopes = scopes
		s.grantedHeaders(w.Header(), scopes)
		s.serveOperation(w, &call, rt.op, scopes)
	}
}

func (s *simulator) serveOperation(w http.ResponseWriter, call *Call, op model.Operation,
	scopes []string) {
	have := closure(s.provider, scopes)
	if !satisfies(op.Requirement, have) {
		s.fail(w, call, nativeFailureOf(s.provider, kindMissingScope,
			s.missingScopes(op.Requirement, have)))
		return
	}
	call.Outcome = "ok"
	if op.Response == nil {
		call.Status = http.StatusNoContent
		w.WriteHeader(call.Status)
		return
	}
	call.Status = http.StatusOK
	writeJSON(w, call.Status, s.samples.sample(*op.Response, "", map[string]bool{}))
}

func (s *simulator) fail(w http.ResponseWriter, call *Call, f nativeFailure) {
	for k, v := range f.header {
		w.Header()[k] = v
	}
	call.Status, call.Outcome = f.status, f.kind
	writeJSON(w, f.status, f.body)
}

// grantedHeaders sets the headers in which the provider reports a token's
// scopes on every answer, such as GitHub's X-OAuth-Scopes.
func (s *simulator) grantedHeaders(h http.Header, scopes []string) {
	for _, src := range s.provider.GrantedScopes.Sources {
		if src.From == "header" && src.Header != "" {
			h.Set(src.Header, strings.Join(scopes, src.Separator))
		}
	}
}

func (s *simulator) record(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

func (s *simulator) served() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// token returns the access token a call carries: in the provider's own
// header when its spec names one, else in Authorization: Bearer.
func (s *simulator) token(r *http.Request) string {
	if a := s.provider.Auth; a != nil && a.TokenHeader != "" {
		return strings.TrimSpace(r.Header.Get(a.TokenHeader))
	}
	return bearer(r)
}

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "sandbox: cannot encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
}

// satisfies reports whether the expanded scopes hold every scope of one
// alternative. An operation without a requirement needs no scope.
func satisfies(req model.Requirement, have []string) bool {
	if len(req) == 0 {
		return true
	}
	return slices.ContainsFunc(req, func(alt []string) bool { return len(lacking(alt, have)) == 0 })
}

func lacking(alt, have []string) []string {
	var out []string
	for _, s := range alt {
		if !slices.Contains(have, s) {
			out = append(out, s)
		}
	}
	return out
}

// missingScopes names what a failure reports missing. When the provider's
// rule lists alternatives (any_of), they are the scopes that would each do
// alone, implying ones included, as GitHub and Google list them; otherwise
// they are what the closest alternative lacks, as Slack's "needed".
func (s *simulator) missingScopes(req model.Requirement, have []string) []string {
	if rule, ok := failureRule(s.provider, kindMissingScope); ok &&
		rule.Missing != nil && rule.Missing.AnyOf {
		if alone := s.scopesAloneSatisfying(req); len(alone) > 0 {
			return alone
		}
	}
	var best []string
	for i, alt := range req {
		if miss := lacking(alt, have); i == 0 || len(miss) < len(best) {
			best = miss
		}
	}
	return best
}

func (s *simulator) scopesAloneSatisfying(req model.Requirement) []string {
	var out []string
	for _, sc := range s.provider.Scopes {
		if satisfies(req, closure(s.provider, []string{sc.Name})) {
			out = append(out, sc.Name)
		}
	}
	slices.Sort(out)
	return out
}
