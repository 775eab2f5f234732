package importer

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/model"
	"github.com/capgen/capgen/internal/spec"
	"github.com/capgen/capgen/specs"
)

var update = flag.Bool("update", false, "rewrite the golden drafts in testdata")

// vocabularySource is the bundled capability vocabulary.
func vocabularySource() spec.Source {
	return spec.Source{Path: "capabilities.yaml", Data: specs.Vocabulary()}
}

// vocabularyNames returns the names of the bundled vocabulary's capabilities.
func vocabularyNames(t *testing.T) []string {
	t.Helper()
	cat, diags := spec.Load(vocabularySource(), nil)
	if cat == nil {
		t.Fatalf("bundled vocabulary does not load:\n%s", diags)
	}
	var names []string
	for _, v := range cat.Vocabulary {
		names = append(names, v.Name)
	}
	return names
}

// load validates a draft as capgen check would and returns its provider.
func load(t *testing.T, d *Draft) *model.Provider {
	t.Helper()
	cat, diags := spec.Load(vocabularySource(), []spec.Source{{Path: "draft.yaml", Data: d.YAML}})
	if cat == nil || len(diags) > 0 {
		t.Fatalf("draft does not pass validation:\n%s\n--- draft ---\n%s", diags, d.YAML)
	}
	return cat.Providers[0]
}

func importFile(t *testing.T, name string, opts Options) *Draft {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	opts.Vocabulary = vocabularyNames(t)
	opts.Source = name
	read := OpenAPI
	if strings.HasSuffix(name, ".discovery.json") {
		read = Discovery
	}
	d, err := read(data, opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return d
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// summary is what a test checks of one operation.
type summary struct {
	Method, Path, Capability string
	Requirement              [][]string
	Params                   []string
	Request, Response        string
}

func summarize(p *model.Provider) map[string]summary {
	out := map[string]summary{}
	for _, op := range p.Operations {
		s := summary{Method: op.Method, Path: op.Path, Capability: op.Capability,
			Requirement: normalize(op.Requirement)}
		for _, prm := range op.Params {
			s.Params = append(s.Params, prm.Name+" "+prm.In+" "+typeString(prm.Type))
		}
		if op.Request != nil {
			s.Request = typeString(*op.Request)
		}
		if op.Response != nil {
			s.Response = typeString(*op.Response)
		}
		out[op.Name] = s
	}
	return out
}

func typeString(t model.TypeRef) string {
	switch t.Kind {
	case model.List:
		return "[]" + typeString(*t.Elem)
	case model.MapOf:
		return "map[string]" + typeString(*t.Elem)
	}
	return t.Name
}

func fields(p *model.Provider) map[string][]string {
	out := map[string][]string{}
	for _, t := range p.Types {
		for _, f := range t.Fields {
			out[t.Name] = append(out[t.Name], f.JSONName+" "+f.GoName+" "+typeString(f.Type))
		}
	}
	return out
}

func commentedOut(d *Draft) map[string]string {
	out := map[string]string{}
	for _, op := range d.Operations {
		if !op.Live {
			out[op.Name] = op.Capability
		}
	}
	return out
}

func TestOpenAPI3(t *testing.T) {
	d := importFile(t, "crm3.yaml", Options{})
	golden(t, "crm3.golden.yaml", d.YAML)
	p := load(t, d)

	if p.Name != "acmecrm" || p.Title != "Acme CRM API" ||
		p.BaseURL != "https://api.acme.example/v1" || p.Docs != "https://developer.acme.example/docs" {
		t.Errorf("provider = %s %q %s %s, want acmecrm, its title, the server with its variable "+
			"filled in and the external docs", p.Name, p.Title, p.BaseURL, p.Docs)
	}
	if a := p.Auth; a == nil || a.AuthorizeURL != "https://app.acme.example/oauth/authorize" ||
		a.TokenURL != "https://api.acme.example/oauth/token" || a.ScopeSeparator != " " {
		t.Errorf("auth = %+v, want the authorization code flow's URLs, the token URL resolved "+
			"against the server, and a space as separator", a)
	}
	want := map[string]summary{
		"ListContacts": {Method: "GET", Path: "/contacts", Capability: "contact.read",
			Requirement: [][]string{{"contacts.read"}, {"crm.admin"}},
			Params:      []string{"limit query integer", "properties query []string"},
			Response:    "ContactPage"},
		"GetContact": {Method: "GET", Path: "/contacts/{contactId}", Capability: "contact.read",
			Requirement: [][]string{{"contacts.read"}}, Params: []string{"contactId path string"},
			Response: "Contact"},
		"CreateContact": {Method: "POST", Path: "/contacts", Capability: "contact.write",
			Requirement: [][]string{{"contacts.read", "contacts.write"}},
			Request:     "CreateContactRequest", Response: "Contact"},
		"DeleteContact": {Method: "DELETE", Path: "/contacts/{contactId}",
			Capability: "contact.write", Requirement: [][]string{{"contacts.write"}},
			Params: []string{"contactId path string"}},
		"GetCompaniesByCompanyID": {Method: "GET", Path: "/companies/{company_id}",
			Capability: "company.read", Requirement: [][]string{{"crm.admin"}},
			Params: []string{"company_id path string"}, Response: "Company"},
	}
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	wantOut := map[string]string{"ListWidgets": "widget.read", "ListClients": "client.read"}
	if diff := cmp.Diff(wantOut, commentedOut(d)); diff != "" {
		t.Errorf("operations commented out (-want +got):\n%s", diff)
	}
	wantFields := map[string][]string{
		"Contact": {"id ID string", "email Email string", "createdAt CreatedAt time",
			"tags Tags []string", "address Address ContactAddress",
			"properties Properties map[string]string", "company Company Company"},
		"ContactAddress":          {"city City string", "postcode Postcode string"},
		"ContactPage":             {"results Results []Contact", "next Next string"},
		"Company":                 {"id ID string", "name Name string", "domain Domain string"},
		"CreateContactRequest":    {"email Email string"},
		"Client2":                 {"id ID string", "ID ID2 integer"},
		"ListWidgetsResponseItem": {"id ID string", "size Size number"},
	}
	if diff := cmp.Diff(wantFields, fields(p)); diff != "" {
		t.Errorf("types (-want +got):\n%s", diff)
	}
}

func TestOpenAPI2(t *testing.T) {
	tests := []struct {
		name   string
		opts   Options
		golden string
		want   map[string][][]string
	}{
		{
			name:   "literal: the scopes of one requirement object are all needed",
			golden: "chat2.golden.yaml",
			want: map[string][][]string{
				"ChatPostMessage":      {{"chat:write:bot", "chat:write:user"}},
				"ChatDelete":           {{"chat:write:bot", "chat:write:user"}},
				"ConversationsHistory": {{"channels:history", "groups:history"}},
				"APITest":              {{"none"}},
			},
		},
		{
			name:   "alternatives in one requirement, none as no scope",
			opts:   Options{AlternativesInOneRequirement: true, NoScope: "none"},
			golden: "chat2-alternatives.golden.yaml",
			want: map[string][][]string{
				"ChatPostMessage":      {{"chat:write:bot"}, {"chat:write:user"}},
				"ChatDelete":           {{"chat:write:bot"}, {"chat:write:user"}},
				"ConversationsHistory": {{"channels:history"}, {"groups:history"}},
				"APITest":              {{}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := importFile(t, "chat2.json", tt.opts)
			golden(t, tt.golden, d.YAML)
			load(t, d)
			got := map[string][][]string{}
			for _, op := range d.Operations {
				got[op.Name] = op.Accepts
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("accepts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenAPI2Shape(t *testing.T) {
	d := importFile(t, "chat2.json", Options{})
	p := load(t, d)
	if p.Name != "acmechat" || p.BaseURL != "https://chat.acme.example/api" {
		t.Errorf("provider %s at %s, want acmechat at https://chat.acme.example/api", p.Name,
			p.BaseURL)
	}
	want := map[string]summary{
		"ChatPostMessage": {Method: "POST", Path: "/chat.postMessage", Capability: "message.write",
			Requirement: [][]string{{"chat:write:bot", "chat:write:user"}},
			Request:     "ChatPostMessageRequest", Response: "ChatPostMessageResponse"},
		"ChatDelete": {Method: "POST", Path: "/chat.delete", Capability: "message.write",
			Requirement: [][]string{{"chat:write:bot", "chat:write:user"}}, Request: "Message"},
		"ConversationsHistory": {Method: "GET", Path: "/conversations.history",
			Capability:  "channel.read",
			Requirement: [][]string{{"channels:history", "groups:history"}},
			Params: []string{"channel query string", "inclusive query boolean",
				"limit query integer"},
			Response: "ConversationsHistoryResponse"},
	}
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	wantFields := []string{"ts Ts string", "text Text string", "reactions Reactions []Reaction"}
	if diff := cmp.Diff(wantFields, fields(p)["Message"]); diff != "" {
		t.Errorf("Message fields (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(d.YAML), "# DECIDE: the description sends the request as "+
		"form fields") {
		t.Errorf("the form-encoded request of chat.postMessage carries no DECIDE comment")
	}
}

func TestDiscovery(t *testing.T) {
	d := importFile(t, "contacts.discovery.json", Options{})
	golden(t, "contacts.golden.yaml", d.YAML)
	p := load(t, d)

	if p.BaseURL != "https://contacts.acme.example/contacts/v1" ||
		p.Docs != "https://developers.acme.example/contacts/" {
		t.Errorf("base_url %s, docs %s; want rootUrl+servicePath and documentationLink",
			p.BaseURL, p.Docs)
	}
	if a := p.Auth; a == nil || a.AuthorizeURL != googleAuthorizeURL || a.TokenURL != googleTokenURL {
		t.Errorf("auth = %+v, want Google's endpoints", a)
	}
	const all, ro = "https://www.acme.example/auth/contacts",
		"https://www.acme.example/auth/contacts.readonly"
	want := map[string]summary{
		"ListContacts": {Method: "GET", Path: "/contacts", Capability: "contact.read",
			Requirement: [][]string{{all}, {ro}},
			Params:      []string{"fields query []string", "pageSize query integer"},
			Response:    "ContactList"},
		"GetContact": {Method: "GET", Path: "/contacts/{contactId}", Capability: "contact.read",
			Requirement: [][]string{{all}, {ro}}, Params: []string{"contactId path string"},
			Response: "Contact"},
		"CreateContact": {Method: "POST", Path: "/contacts", Capability: "contact.write",
			Requirement: [][]string{{all}}, Request: "Contact", Response: "Contact"},
		"DeleteContact": {Method: "DELETE", Path: "/contacts/{contactId}",
			Capability: "contact.write", Requirement: [][]string{{all}},
			Params: []string{"contactId path string"}},
		"UpdateContactsPhoto": {Method: "PATCH", Path: "/contacts/people/{peopleId}/photo",
			Capability: "contact.write", Requirement: [][]string{{all}},
			Params: []string{"peopleId path string"}},
	}
	if diff := cmp.Diff(want, summarize(p)); diff != "" {
		t.Errorf("operations (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"GetSetting": "setting.read"}, commentedOut(d)); diff != "" {
		t.Errorf("operations commented out (-want +got):\n%s", diff)
	}
	wantFields := []string{"id ID string", "names Names []ContactNamesItem",
		"updated Updated time", "size Size string", "labels Labels map[string]string"}
	if diff := cmp.Diff(wantFields, fields(p)["Contact"]); diff != "" {
		t.Errorf("Contact fields (-want +got):\n%s", diff)
	}
}

func TestDraftIsDeterministic(t *testing.T) {
	for _, name := range []string{"crm3.yaml", "chat2.json", "contacts.discovery.json"} {
		first := importFile(t, name, Options{})
		for range 5 {
			if again := importFile(t, name, Options{}); string(again.YAML) != string(first.YAML) {
				t.Fatalf("%s: two imports differ:\n%s", name, cmp.Diff(string(first.YAML),
					string(again.YAML)))
			}
		}
	}
}

func TestOptions(t *testing.T) {
	d := importFile(t, "crm3.yaml", Options{Name: "crm", BaseURL: "https://eu.acme.example/v1/",
		ScopeSeparator: ",", Resources: map[string]string{"widgets": "product"}})
	p := load(t, d)
	if p.Name != "crm" || p.BaseURL != "https://eu.acme.example/v1" || p.Auth.ScopeSeparator != "," {
		t.Errorf("provider %s at %s with separator %q, want crm at https://eu.acme.example/v1 "+
			"with \",\"", p.Name, p.BaseURL, p.Auth.ScopeSeparator)
	}
	if got := summarize(p)["ListWidgets"]; got.Capability != "product.read" ||
		!slices.EqualFunc(got.Requirement, [][]string{{}}, slices.Equal) {
		t.Errorf("ListWidgets = %+v, want product.read (mapped by Resources) needing no scope", got)
	}
}

func TestErrors(t *testing.T) {
	opts := Options{Vocabulary: vocabularyNames(t)}
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"not OpenAPI", func() error { _, err := OpenAPI([]byte(`{"a": 1}`), opts); return err },
			"not an OpenAPI document"},
		{"not YAML", func() error { _, err := OpenAPI([]byte("a: [b"), opts); return err },
			"reading the OpenAPI document"},
		{"not Discovery", func() error {
			_, err := Discovery([]byte(`{"openapi": "3.0.0"}`), opts)
			return err
		}, "not a Discovery document"},
		{"alternatives with Discovery", func() error {
			o := opts
			o.AlternativesInOneRequirement = true
			_, err := Discovery([]byte(`{"discoveryVersion": "v1"}`), o)
			return err
		}, "applies to OpenAPI documents only"},
		{"bad name", func() error {
			o := opts
			o.Name = "Acme-CRM"
			_, err := OpenAPI([]byte("openapi: 3.0.0\ninfo: {title: x}\n"), o)
			return err
		}, "must be lower-case letters and digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestEmptyDescriptionStillPassesCheck(t *testing.T) {
	d, err := OpenAPI([]byte("openapi: 3.0.0\ninfo: {title: Nothing}\npaths: {}\n"),
		Options{Vocabulary: vocabularyNames(t)})
	if err != nil {
		t.Fatal(err)
	}
	p := load(t, d)
	if p.BaseURL != "https://api.example.invalid" || p.Auth != nil {
		t.Errorf("base_url %s, auth %+v; want the placeholder URL and no auth", p.BaseURL, p.Auth)
	}
	if !strings.Contains(string(d.YAML), "# DECIDE: base_url:") {
		t.Errorf("the placeholder base_url carries no DECIDE comment:\n%s", d.YAML)
	}
}

func TestRequirementOf(t *testing.T) {
	tests := []struct {
		name    string
		accepts [][][]string
		want    [][]string
		widened bool
	}{
		{"shared alternatives", [][][]string{{{"a"}, {"b"}}, {{"a"}, {"b"}, {"c"}}},
			[][]string{{"a"}, {"b"}}, false},
		{"an alternative of one that satisfies the other", [][][]string{{{"a"}}, {{"a", "b"}}},
			[][]string{{"a", "b"}}, false},
		{"no scope needed by any", [][][]string{{{}}, {{}}}, [][]string{{}}, false},
		{"one needs no scope", [][][]string{{{}}, {{"a"}}}, [][]string{{"a"}}, false},
		{"nothing in common", [][][]string{{{"a"}, {"b"}}, {{"c"}}},
			[][]string{{"a", "c"}, {"b", "c"}}, true},
		{"related scopes go together", [][][]string{
			{{"channels:history"}, {"groups:history"}},
			{{"channels:read"}, {"groups:read"}}},
			[][]string{{"channels:history", "channels:read"}, {"groups:history", "groups:read"}},
			true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ops []*operation
			for _, acc := range tt.accepts {
				ops = append(ops, &operation{accepts: normalize(acc)})
			}
			got, widened := requirementOf(ops)
			if diff := cmp.Diff(tt.want, got); diff != "" || widened != tt.widened {
				t.Errorf("requirement (-want +got):\n%s\nwidened = %t, want %t", diff, widened,
					tt.widened)
			}
		})
	}
}

func TestNames(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"discovery list keeps the plural", discoveryName("drive.files.list"), "ListFiles"},
		{"discovery get is singular", discoveryName("drive.files.get"), "GetFile"},
		{"discovery nested resources", discoveryName("gmail.users.messages.get"),
			"GetUsersMessage"},
		{"discovery camel verb", discoveryName("drive.files.emptyTrash"), "EmptyTrashFile"},
		{"path without operationId", pathName("GET", "/pets/{petId}"), "GetPetsByPetID"},
		{"title", nameFromTitle("Slack Web API"), "slack"},
		{"title with digits first", nameFromTitle("365 API"), "api365"},
		{"empty title", nameFromTitle("API"), "provider"},
		{"singular ies", singular("companies"), "company"},
		{"singular sses", singular("addresses"), "address"},
		{"singular keeps status", singular("status"), "status"},
		{"placeholder object", placeholderObject("developer-Metadata"), "developer_metadata"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestPathResources(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"/chat.postMessage", []string{"chat"}},
		{"/v4/spreadsheets/{id}/values:batchGet", []string{"spreadsheets", "values"}},
		{"/repos/{owner}/{repo}/issues/{n}/comments", []string{"repos", "issues", "comments"}},
		{"/", nil},
	}
	for _, tt := range tests {
		if got := pathResources(tt.path); !slices.Equal(got, tt.want) {
			t.Errorf("pathResources(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func TestCapabilityRule(t *testing.T) {
	v := newVocabulary([]string{"message.read", "message.write", "channel.read", "user.read",
		"issue.read"}, map[string]string{"messages": "mail"})
	tests := []struct {
		method    string
		resources []string
		want      string
		known     bool
	}{
		{"GET", []string{"chat"}, "message.read", true},
		{"POST", []string{"conversations"}, "channel.write", false},
		{"GET", []string{"repos", "issues", "comments"}, "issue.read", true},
		{"GET", []string{"users"}, "user.read", true},
		{"GET", []string{"users", "messages"}, "mail.read", false},
		{"GET", []string{"emoji"}, "emoji.read", false},
		{"GET", nil, "api.read", false},
	}
	for _, tt := range tests {
		got, known := v.capability(&operation{method: tt.method, resources: tt.resources})
		if got != tt.want || known != tt.known {
			t.Errorf("%s %v: got %s (in vocabulary: %t), want %s (%t)", tt.method, tt.resources,
				got, known, tt.want, tt.known)
		}
	}
}

func TestScalarsSurviveYAML(t *testing.T) {
	values := []string{"plain", "true", "No", "1.5", "007", "a: b", "x #y", "[]string",
		"map[string]any", "https://x.example/a", "chat:write", "a,b", "{x}", "/files/{id}",
		"ends:", " lead", "", "é ü", "-dash", "*star", "&amp", "!bang", "%pct", "@at", "`tick`",
		"'quote'", `"dq"`, "tab\there"}
	for _, v := range values {
		doc := "block: " + blockScalar(v) + "\nflow: [" + flowScalar(v) + ", end]\n" +
			"text: " + textScalar(v) + "\n"
		var got struct {
			Block string   `yaml:"block"`
			Flow  []string `yaml:"flow"`
			Text  string   `yaml:"text"`
		}
		if err := yaml.Unmarshal([]byte(doc), &got); err != nil {
			t.Errorf("%q: %v in\n%s", v, err, doc)
			continue
		}
		if got.Block != v || len(got.Flow) != 2 || got.Flow[0] != v || got.Text != v {
			t.Errorf("%q came back as block %q, flow %q, text %q from\n%s", v, got.Block,
				got.Flow, got.Text, doc)
		}
	}
}

func TestLongTextFolds(t *testing.T) {
	w := &writer{at: -1}
	long := strings.Repeat("word: #not a comment ", 12)
	w.text(4, "description", cleanText(long))
	w.requirement(4, "any_of", [][]string{slices.Repeat([]string{"scope:with:colons"}, 8)})
	var got struct {
		Description string     `yaml:"description"`
		AnyOf       [][]string `yaml:"any_of"`
	}
	if err := yaml.Unmarshal(w.b.Bytes(), &got); err != nil {
		t.Fatalf("%v in\n%s", err, w.b.Bytes())
	}
	if got.Description != cleanText(long) || len(got.AnyOf) != 1 || len(got.AnyOf[0]) != 8 {
		t.Errorf("folded text or wrapped list changed:\n%s", w.b.Bytes())
	}
	for _, l := range strings.Split(w.b.String(), "\n") {
		if len(l) > width {
			t.Errorf("line of %d columns, want at most %d: %s", len(l), width, l)
		}
	}
}
