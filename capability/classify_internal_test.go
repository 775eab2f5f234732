package capability

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestRetryAfter(t *testing.T) {
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		value string
		want  time.Duration
	}{
		{"30", 30 * time.Second},
		{" 5 ", 5 * time.Second},
		{"0", 0},
		{"-3", 0},
		{"99999999999999999", time.Duration(1<<63 - 1).Truncate(time.Second)},
		{"Tue, 10 Mar 2026 12:01:30 GMT", 90 * time.Second},
		{"Tue, 10 Mar 2026 11:00:00 GMT", 0},
		{"2.0", 2 * time.Second},
		{"0.5", 500 * time.Millisecond},
		{"NaN", 0},
		{"soon", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.value, at); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.value, got, tt.want)
		}
	}
}

func TestBodyPaths(t *testing.T) {
	body := `{"a":{"b":[{"c":1},{"c":"two"},{"d":true}]},"list":[[1,2],[3]],` +
		`"n":null,"big":12345678901234567890,"f":1.50,"t":true,"arr":["x","y"]}`
	tests := []struct {
		path string
		want []string
	}{
		{"a.b.*.c", []string{"1", "two"}},
		{"a.b.0.c", []string{"1"}},
		{"a.b.2.d", []string{"true"}},
		{"a.b.9.c", nil},
		{"a.b.-1.c", nil},
		{"a.b.x", nil},
		{"list.*", []string{"1", "2", "3"}},
		{"list.*.*", []string{"1", "2", "3"}},
		{"n", []string{"null"}},
		{"big", []string{"12345678901234567890"}},
		{"f", []string{"1.50"}},
		{"t", []string{"true"}},
		{"arr", []string{"x", "y"}},
		{"a.b.*.c.deeper", nil},
		{"missing", nil},
		{"*", nil},
	}
	r := &response{body: []byte(body)}
	for _, tt := range tests {
		got := texts(nil, r.values(splitPath(tt.path)))
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("path %q (-want +got):\n%s", tt.path, diff)
		}
	}
	if got := (&response{body: []byte("not json")}).values([]string{"a"}); got != nil {
		t.Errorf("a path into a non-JSON body gave %v", got)
	}
}

// on builds a body predicate (path) or, for a name starting with "X-", a
// header predicate.
func on(target string, test Test, values ...string) Predicate {
	if strings.HasPrefix(strings.ToUpper(target), "X-") {
		return Predicate{Header: target, Test: test, Values: values}
	}
	return Predicate{Path: target, Test: test, Values: values}
}

func TestPredicates(t *testing.T) {
	body := []byte(`{"error":"missing_scope","ok":false,"code":4711,"tags":["a","b"],"e":[]}`)
	header := http.Header{"X-Scopes": {"repo, gist"}, "X-Empty": {""}}
	tests := []struct {
		name string
		pred Predicate
		want bool
	}{
		{"equals string", on("error", TestEquals, "missing_scope"), true},
		{"equals boolean as text", on("ok", TestEquals, "false"), true},
		{"equals number as text", on("code", TestEquals, "4711"), true},
		{"equals is exact", on("error", TestEquals, "missing"), false},
		{"in", on("error", TestIn, "x", "missing_scope"), true},
		{"contains", on("error", TestContains, "scope"), true},
		{"matches", on("error", TestMatches, "^miss.*e$"), true},
		{"matches any pattern", on("error", TestMatches, "^x", "scope$"), true},
		{"bad pattern never matches", on("error", TestMatches, "("), false},
		{"any array element", on("tags", TestEquals, "b"), true},
		{"present", on("code", TestPresent), true},
		{"present empty array", on("e", TestPresent), true},
		{"absent", on("nope", TestAbsent), true},
		{"absent but present", on("ok", TestAbsent), false},
		{"unknown test", on("ok", "resembles", "false"), false},
		{"header contains", on("x-scopes", TestContains, "gist"), true},
		{"empty header is present", on("X-Empty", TestPresent), true},
		{"header absent", on("X-Other", TestAbsent), true},
		{"header missing fails equals", on("X-Other", TestEquals, ""), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := ErrorRule{Kind: KindForbidden}
			if tt.pred.Header != "" {
				rule.Header = []Predicate{tt.pred}
			} else {
				rule.Body = []Predicate{tt.pred}
			}
			p := NewProvider(ProviderSpec{Errors: []ErrorRule{rule}})
			got := p.classify(&response{status: 200, header: header, body: body}) != nil
			if got != tt.want {
				t.Errorf("rule matched = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMissingNames(t *testing.T) {
	body := []byte(`{"needed":"a, b","one":"solo scope","list":["x"," y ",""],` +
		`"msg":"Invalid access token, does not contain scopes:[user:read, user:write]."}`)
	header := http.Header{"X-Accepted": {"repo, admin:org", "gist"},
		"Www-Authenticate": {`Bearer error="insufficient_scope", scope="s1 s2"`}}
	tests := []struct {
		name string
		ms   MissingScopes
		want []string
	}{
		{"body string kept whole", MissingScopes{Body: "one"}, []string{"solo scope"}},
		{"body string split when told", MissingScopes{Body: "needed", Separator: ","},
			[]string{"a", "b"}},
		{"body array one per element", MissingScopes{Body: "list"}, []string{"x", "y"}},
		{"body pattern", MissingScopes{Body: "msg", Pattern: `scopes:\[([^\]]*)\]`, Separator: ","},
			[]string{"user:read", "user:write"}},
		{"header default comma", MissingScopes{Header: "X-Accepted"},
			[]string{"admin:org", "gist", "repo"}},
		{"header pattern and space", MissingScopes{Header: "WWW-Authenticate",
			Pattern: `scope="([^"]+)"`, Separator: " "}, []string{"s1", "s2"}},
		{"pattern without a group", MissingScopes{Body: "one", Pattern: `solo`}, []string{"solo"}},
		{"pattern that does not match", MissingScopes{Body: "one", Pattern: `nothing`}, nil},
		{"broken pattern", MissingScopes{Body: "one", Pattern: `(`}, nil},
		{"body and header together", MissingScopes{Body: "list", Header: "X-Accepted"},
			[]string{"admin:org", "gist", "repo", "x", "y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &response{status: 403, header: header, body: body}
			got := compileMissing(&tt.ms).names(r)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRuleOrderAndStatus(t *testing.T) {
	p := NewProvider(ProviderSpec{Errors: []ErrorRule{
		{Kind: KindRateLimited, Status: []int{429}},
		{Kind: KindExpired, Status: []int{401}},
		{Kind: KindForbidden},
	}})
	tests := []struct {
		status int
		want   Kind
	}{{429, KindRateLimited}, {401, KindExpired}, {500, KindForbidden}, {200, KindForbidden}}
	for _, tt := range tests {
		e := p.classify(&response{status: tt.status, header: http.Header{}})
		if e == nil || e.Kind != tt.want {
			t.Errorf("status %d classified as %v, want %s", tt.status, e, tt.want)
		}
	}
	if e := NewProvider(ProviderSpec{}).classify(&response{status: 204}); e != nil {
		t.Errorf("a 204 with no rules classified as %v", e)
	}
}

func TestMissingFallsBackToTheOperation(t *testing.T) {
	p := NewProvider(HubSpotSpec())
	client := NewClient(p, nil)
	op, _ := p.operation("GetContact")
	resp := &http.Response{StatusCode: 403, Header: http.Header{}}
	body := []byte(`{"category":"MISSING_SCOPES"}`)

	handle := func(granted ...string) Handle {
		return Handle{client: client, grant: NewGrant(p, granted), capability: "contact.read"}
	}

	e := handle("contacts").classify(op, resp, body)
	want := []string{"crm.objects.contacts.read", "crm.objects.contacts.write"}
	if !cmp.Equal(e.Missing, want) || !e.MissingAnyOf {
		t.Errorf("grant that seems to suffice: Missing = %v, any of %v; want any of %v",
			e.Missing, e.MissingAnyOf, want)
	}

	e = handle("other").classify(op, resp, body)
	if !cmp.Equal(e.Missing, []string{"crm.objects.contacts.read"}) || e.MissingAnyOf {
		t.Errorf("grant that lacks: Missing = %v, any of %v; want crm.objects.contacts.read",
			e.Missing, e.MissingAnyOf)
	}
}

func TestNeededScopes(t *testing.T) {
	tests := []struct {
		name  string
		req   Requirement
		want  []string
		anyOf bool
	}{
		{"none", Requirement{}, nil, false},
		{"one scope", Requirement{AnyOf: [][]string{{"a"}}}, []string{"a"}, false},
		{"single-scope alternatives", Requirement{AnyOf: [][]string{{"b"}, {"a"}}},
			[]string{"a", "b"}, true},
		{"first of larger alternatives", Requirement{AnyOf: [][]string{{"b", "a"}, {"c"}}},
			[]string{"a", "b"}, false},
	}
	for _, tt := range tests {
		got, anyOf := neededScopes(tt.req)
		if !cmp.Equal(got, tt.want, cmpopts.EquateEmpty()) || anyOf != tt.anyOf {
			t.Errorf("%s: neededScopes = %v, %v; want %v, %v",
				tt.name, got, anyOf, tt.want, tt.anyOf)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"whitespace collapsed", "a \n\t b", "a b"},
		{"control characters dropped", "a\x00b\x1bc", "a b c"},
		{"invalid UTF-8 dropped", "a\xffb", "ab"},
		{"bearer value removed", `auth: Bearer abc.def-ghi, next`, "auth: Bearer [redacted], next"},
		{"JSON token field removed", `{"access_token": "abc", "x": 1}`,
			`{"access_token": "[redacted]", "x": 1}`},
		{"form token removed", `refresh_token=abc&x=1`, `refresh_token=[redacted]&x=1`},
		{"long text cut", strings.Repeat("é", maxExcerpt+10),
			strings.Repeat("é", maxExcerpt) + "…"},
	}
	for _, tt := range tests {
		if got := excerpt([]byte(tt.in), nil); got != tt.want {
			t.Errorf("%s: excerpt(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}
