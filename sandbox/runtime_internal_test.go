package sandbox

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/specs"
)

// TestEveryBundledSpecIsSimulated calls every operation of every bundled
// spec through the runtime, built from the same spec: a token with every
// scope succeeds, a token without scopes gets the provider's refusal, and an
// expired token its 401. Missing scopes that the simulator writes into its
// answer must reach the runtime's error intact.
func TestEveryBundledSpecIsSimulated(t *testing.T) {
	for _, name := range specs.Providers() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sb := Start(t, name)
			p := sb.sim.provider
			rt := capability.NewProvider(runtimeSpec(p))
			all := scopeNames(p)
			full, none := accessToken(t, sb, all), accessToken(t, sb, nil)

			for _, op := range p.Operations {
				if err := callOperation(rt, sb, full, op, all); err != nil {
					t.Errorf("%s with every scope: %v", op.Name, err)
				}
				err := callOperation(rt, sb, none, op, all)
				checkRefusal(t, sb.sim, op, err)
			}

			sb.Expire()
			err := callOperation(rt, sb, full, p.Operations[0], all)
			wantKind(t, err, http.StatusUnauthorized, kindOf(p, kindExpired))
		})
	}
}

func checkRefusal(t *testing.T, sim *simulator, op model.Operation, err error) {
	t.Helper()
	if satisfies(op.Requirement, nil) {
		if err != nil {
			t.Errorf("%s needs no scope, but failed: %v", op.Name, err)
		}
		return
	}
	e := wantKind(t, err, http.StatusForbidden, kindOf(sim.provider, kindMissingScope))
	rule, _ := failureRule(sim.provider, kindMissingScope)
	if e == nil || rule.Missing == nil {
		return
	}
	want := slices.Compact(slices.Sorted(slices.Values(sim.missingScopes(op.Requirement, nil))))
	if !slices.Equal(e.Missing, want) {
		t.Errorf("%s: the runtime read missing scopes %v, want %v", op.Name, e.Missing, want)
	}
}

// kindOf is how the runtime classifies the simulator's answer for a kind:
// the kind of the rule it was built from, or a plain HTTP failure.
func kindOf(p *model.Provider, kind string) capability.Kind {
	if rule, ok := failureRule(p, kind); ok {
		return capability.Kind(rule.Kind)
	}
	return capability.KindHTTP
}

func wantKind(t *testing.T, err error, status int, kind capability.Kind) *capability.Error {
	t.Helper()
	var e *capability.Error
	if !errors.As(err, &e) || e.Status != status || e.Kind != kind {
		t.Errorf("err = %v, want status %d kind %s", err, status, kind)
		return nil
	}
	return e
}

// accessToken authorizes scopes and returns the access token.
func accessToken(t *testing.T, sb *Sandbox, scopes []string) string {
	t.Helper()
	tok, err := sb.Authorize(context.Background(), scopes...)
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	return tok.AccessToken
}

// callOperation calls op through a grant that claims scopes, with path
// parameters filled in and an empty JSON object as body.
func callOperation(rt *capability.Provider, sb *Sandbox, token string, op model.Operation,
	claimed []string) error {
	client := capability.NewClient(rt, staticToken(token), capability.WithBaseURL(sb.BaseURL))
	h, err := capability.NewGrant(rt, claimed).Handle(client, op.Capability)
	if err != nil {
		return err
	}
	var req capability.Request
	for _, param := range op.Params {
		if param.In == "path" {
			req.PathParams = append(req.PathParams, param.Name, "x1")
		}
	}
	if op.Request != nil {
		req.Body = map[string]any{}
	}
	var out any
	return h.Call(context.Background(), op.Name, req, &out)
}

func scopeNames(p *model.Provider) []string {
	names := make([]string, len(p.Scopes))
	for i, s := range p.Scopes {
		names[i] = s.Name
	}
	return names
}

// runtimeSpec is the part of a provider's runtime table that calls need,
// as the generator would write it.
func runtimeSpec(p *model.Provider) capability.ProviderSpec {
	spec := capability.ProviderSpec{Name: p.Name, Title: p.Title, BaseURL: p.BaseURL}
	if p.Auth != nil {
		spec.Auth.TokenHeader = p.Auth.TokenHeader
	}
	for _, s := range p.Scopes {
		spec.Scopes = append(spec.Scopes, capability.ScopeSpec{Name: s.Name, Implies: s.Implies})
	}
	for _, c := range p.Capabilities {
		spec.Capabilities = append(spec.Capabilities, capability.CapabilitySpec{
			Name: c.Name, Requirement: capability.Requirement{AnyOf: c.Requirement}})
	}
	for _, op := range p.Operations {
		spec.Operations = append(spec.Operations, capability.OperationSpec{
			Name: op.Name, Method: op.Method, Path: op.Path, Capability: op.Capability,
			Requirement: capability.Requirement{AnyOf: op.Requirement}})
	}
	for _, r := range p.Errors {
		spec.Errors = append(spec.Errors, runtimeRule(r))
	}
	return spec
}

func runtimeRule(r model.ErrorRule) capability.ErrorRule {
	out := capability.ErrorRule{Kind: capability.Kind(r.Kind), Status: r.Status,
		Header: runtimePredicates(r.Header), Body: runtimePredicates(r.Body),
		RetryAfter: r.RetryAfter}
	if m := r.Missing; m != nil {
		out.Missing = &capability.MissingScopes{Body: m.Body, Header: m.Header,
			Pattern: m.Pattern, Separator: m.Separator, AnyOf: m.AnyOf}
	}
	return out
}

func runtimePredicates(ps []model.Predicate) []capability.Predicate {
	var out []capability.Predicate
	for _, p := range ps {
		out = append(out, capability.Predicate{Header: p.Header, Path: p.Path,
			Test: capability.Test(p.Test), Values: p.Values})
	}
	return out
}

type staticSource string

func (s staticSource) Token() (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: string(s), TokenType: "Bearer"}, nil
}

func staticToken(token string) oauth2.TokenSource { return staticSource(token) }
