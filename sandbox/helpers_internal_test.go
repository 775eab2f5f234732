package sandbox

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/capgen/capgen/internal/model"
)

func TestRenderPattern(t *testing.T) {
	fill := "a b"
	tests := []struct {
		name, pattern string
		fill          *string
		want          string
		ok            bool
	}{
		{"group filled", `scope="([^"]+)"`, &fill, `scope="a b"`, true},
		{"no group: the fill is the match", `\S+`, &fill, "", false},
		{"no group, fill fits", `[a-z ]+`, &fill, "a b", true},
		{"case-insensitive literal", `(?i)expired`, nil, "expired", true},
		{"class and repeat", `code-[0-9]{3}`, nil, "code-000", true},
		{"first branch", `(?:alpha|beta) token`, nil, "alpha token", true},
		{"group the fill cannot satisfy", `scope=(\d+)`, &fill, "", false},
		{"broken pattern", `(`, nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := renderPattern(tt.pattern, tt.fill)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("renderPattern(%q) = %q, %v; want %q, %v", tt.pattern, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestMergeText(t *testing.T) {
	tests := []struct{ want, have, result string }{
		{"requires merchant approval for", "approval for read_orders scope",
			"requires merchant approval for read_orders scope"},
		{`error="insufficient_scope"`, `scope="x"`, `error="insufficient_scope", scope="x"`},
		{"approval", "needs approval", "needs approval"},
	}
	for _, tt := range tests {
		if got := mergeText(tt.want, tt.have, ", "); got != tt.result {
			t.Errorf("mergeText(%q, %q) = %q, want %q", tt.want, tt.have, got, tt.result)
		}
	}
}

func TestSetPathBuildsNestedShapes(t *testing.T) {
	var root any
	root = setPath(root, splitPath("errors.*.context.a"), "x")
	root = setPath(root, splitPath("errors.*.context.b"), "y")
	root = setPath(root, splitPath("category"), "C")
	want := map[string]any{
		"category": "C",
		"errors":   []any{map[string]any{"context": map[string]any{"a": "x", "b": "y"}}},
	}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	arr := setPath(nil, splitPath("0.errorCode"), "E")
	if diff := cmp.Diff([]any{map[string]any{"errorCode": "E"}}, arr); diff != "" {
		t.Errorf("a path that starts with an index makes an array (-want +got):\n%s", diff)
	}
	if v, ok := getPath(arr, splitPath("*.errorCode")); !ok || v != "E" {
		t.Errorf("getPath = %v, %v; want E", v, ok)
	}
}

func TestNativeFailureSatisfiesEveryPredicate(t *testing.T) {
	rule := model.ErrorRule{
		Kind:   kindMissingScope,
		Status: []int{403, 404},
		Header: []model.Predicate{
			{Header: "X-Accepted", Test: "present"},
			{Header: "X-Gone", Test: "absent"},
			{Header: "X-Code", Test: "matches", Values: []string{`^E\d+$`}},
		},
		Body: []model.Predicate{
			{Path: "ok", Test: "equals", Values: []string{"false"}},
			{Path: "error.kind", Test: "in", Values: []string{"scope", "perm"}},
		},
		Missing: &model.MissingScopes{Header: "X-Accepted", Separator: ",", AnyOf: true},
	}
	p := &model.Provider{Errors: []model.ErrorRule{rule}}
	f := nativeFailureOf(p, kindMissingScope, []string{"a", "b"})

	if f.status != 403 || f.kind != kindMissingScope {
		t.Errorf("status %d kind %s, want 403 missing_scope", f.status, f.kind)
	}
	wantHeader := map[string]string{"X-Accepted": "a,b", "X-Gone": "", "X-Code": "E0"}
	for name, want := range wantHeader {
		if got := f.header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	want := map[string]any{"ok": false, "error": map[string]any{"kind": "scope"}}
	if diff := cmp.Diff(want, f.body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestFailureKindsFallBack(t *testing.T) {
	p := &model.Provider{Errors: []model.ErrorRule{
		{Kind: kindForbidden, Status: []int{403}},
		{Kind: kindInvalid, Status: []int{401}},
	}}
	for kind, want := range map[string]string{
		kindExpired:      kindInvalid,
		kindMissingScope: kindForbidden,
		kindInvalid:      kindInvalid,
	} {
		if f := nativeFailureOf(p, kind, nil); f.kind != want {
			t.Errorf("%s answers as %s, want %s", kind, f.kind, want)
		}
	}
	bare := nativeFailureOf(&model.Provider{}, kindExpired, nil)
	if bare.status != 401 || bare.body == nil {
		t.Errorf("a provider without rules: status %d body %v, want 401 with a message",
			bare.status, bare.body)
	}
}

func TestRoutesPreferLiteralText(t *testing.T) {
	ops := []model.Operation{
		{Name: "Get", Method: "GET", Path: "/contacts/{id}"},
		{Name: "Search", Method: "GET", Path: "/contacts/search"},
		{Name: "Values", Method: "POST", Path: "/sheets/{id}/values/{range}"},
		{Name: "Append", Method: "POST", Path: "/sheets/{id}/values/{range}:append"},
		{Name: "Order", Path: "/orders/{id}.json"},
	}
	routes := newRoutes(ops)
	tests := []struct{ method, path, want string }{
		{"GET", "/contacts/search", "Search"},
		{"GET", "/contacts/42", "Get"},
		{"POST", "/sheets/1/values/A1:append", "Append"},
		{"POST", "/sheets/1/values/A1", "Values"},
		{"GET", "/orders/7.json", "Order"},
		{"GET", "/orders/7", ""},
		{"GET", "/contacts/a%2Fb", "Get"},
		{"DELETE", "/contacts/42", ""},
		{"GET", "/contacts/", ""},
	}
	for _, tt := range tests {
		got := ""
		if rt, ok := match(routes, tt.method, tt.path); ok {
			got = rt.op.Name
		}
		if got != tt.want {
			t.Errorf("%s %s matched %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}

func TestConsentDecides(t *testing.T) {
	requested := []string{"a", "b", "c"}
	tests := []struct {
		name    string
		consent Consent
		want    []string
		ok      bool
	}{
		{"grant all", GrantAll(), requested, true},
		{"deny some", Deny("b"), []string{"a", "c"}, true},
		{"grant only", GrantOnly("c", "z"), []string{"c"}, true},
		{"grant only nothing requested", GrantOnly("z"), nil, true},
		{"deny all", DenyAll(), nil, false},
	}
	for _, tt := range tests {
		got, ok := tt.consent.decide(requested)
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, %v; want %v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSplitScopesAcceptsTheSeparatorAndSpaces(t *testing.T) {
	got := splitScopes("chat:write,channels:read users:read, ,", ",")
	want := []string{"chat:write", "channels:read", "users:read"}
	if !slices.Equal(got, want) {
		t.Errorf("splitScopes = %v, want %v", got, want)
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "[::1]:8080": true, "localhost:9000": true, "127.1.2.3:0": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "example.com:80": false,
		"127.0.0.1": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok %v", addr, err, ok)
		}
	}
}
