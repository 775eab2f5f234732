package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/capgen/capgen/internal/model"
)

// splitScopes splits a scope list on whitespace and on any rune of seps:
// clients built for RFC 6749 send spaces whatever the provider wants.
func splitScopes(list, seps string) []string {
	return strings.FieldsFunc(list, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(seps, r)
	})
}

// separators is what the server splits scope lists on: the provider's
// separator, and commas too unless a scope name holds one, since providers
// such as GitHub take either whatever they document.
func separators(p *model.Provider, sep string) string {
	for _, s := range p.Scopes {
		if strings.Contains(s.Name, ",") {
			return sep
		}
	}
	return sep + ","
}

// joinScopes builds the space-delimited list fosite parses.
func joinScopes(scopes []string) string { return strings.Join(scopes, " ") }

// requestedScopes collects the scopes of an authorization request from the
// main scope parameter and the provider's extra ones (Slack's user_scope,
// HubSpot's optional_scope), without duplicates.
func (a *authServer) requestedScopes(form url.Values) []string {
	scopes := splitScopes(form.Get(a.auth.ScopeParam), a.seps)
	for _, x := range a.auth.ExtraScopeParams {
		scopes = append(scopes, splitScopes(form.Get(x.Param), a.seps+x.Separator)...)
	}
	var out []string
	for _, s := range scopes {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// fieldSource returns the first granted-scope source of a kind that names
// a field.
func fieldSource(g model.GrantedScopes, from string) (model.ScopeSource, bool) {
	for _, src := range g.Sources {
		if src.From == from && src.Field != "" {
			return src, true
		}
	}
	return model.ScopeSource{}, false
}

// scopeValue renders scopes as a source expects them: a JSON array or a
// delimited string.
func scopeValue(src model.ScopeSource, scopes []string) any {
	if src.Array {
		return anySlice(scopes)
	}
	return strings.Join(scopes, src.Separator)
}

func anySlice(scopes []string) []any {
	out := make([]any, len(scopes))
	for i, s := range scopes {
		out[i] = s
	}
	return out
}

// shapeGranted writes the granted scopes into a token or introspection
// response where the spec's source of that kind reads them. A token
// response loses fosite's own "scope" when the spec names another field, so
// that a client that reads the wrong field notices.
func shapeGranted(doc map[string]any, g model.GrantedScopes, from string, scopes []string) {
	src, ok := fieldSource(g, from)
	if !ok {
		return
	}
	if from == "token" && src.Field != "scope" {
		delete(doc, "scope")
	}
	setPath(doc, strings.Split(src.Field, "."), scopeValue(src, scopes))
}

// closure expands scopes with the provider's implications, transitively.
func closure(p *model.Provider, scopes []string) []string {
	implies := map[string][]string{}
	for _, s := range p.Scopes {
		implies[s.Name] = s.Implies
	}
	seen := map[string]bool{}
	stack := slices.Clone(scopes)
	var out []string
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
			stack = append(stack, implies[s]...)
		}
	}
	slices.Sort(out)
	return out
}

// bufferedResponse holds a response that fosite wrote, so that its JSON
// body can be changed before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse {
	return &bufferedResponse{header: http.Header{}, status: http.StatusOK}
}

// Header returns the buffered headers.
func (b *bufferedResponse) Header() http.Header { return b.header }

// Write buffers body bytes.
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }

// WriteHeader records the status.
func (b *bufferedResponse) WriteHeader(status int) { b.status = status }

// reshape applies change to a JSON object body; other bodies stay as they
// are.
func (b *bufferedResponse) reshape(change func(map[string]any)) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.body.Bytes()))
	dec.UseNumber()
	if dec.Decode(&doc) != nil {
		return
	}
	change(doc)
	data, err := json.Marshal(doc)
	if err != nil {
		return
	}
	b.body.Reset()
	b.body.Write(data)
}

func (b *bufferedResponse) flush(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(b.body.Len()))
	w.WriteHeader(b.status)
	w.Write(b.body.Bytes())
}
