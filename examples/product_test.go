package example

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
	"github.com/capgen/capgen/examples/integrations/github"
	"github.com/capgen/capgen/examples/integrations/hubspot"
)

// fakeAPI answers every path with the body of the first route it starts
// with, and counts the requests.
func fakeAPI(t *testing.T, routes map[string]string) (string, *[]string) {
	t.Helper()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		for prefix, body := range routes {
			if strings.HasPrefix(r.Method+" "+r.URL.Path, prefix) {
				w.Write([]byte(body))
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &seen
}

var token = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "test-token"})

func hubspotGrant(t *testing.T, scopes ...string) *hubspot.Grant {
	base, _ := fakeAPI(t, map[string]string{
		"GET /crm/v3/objects/contacts":  `{"results":[{"id":"1","properties":{"email":"ada@example.com"}}]}`,
		"GET /crm/v3/objects/companies": `{"results":[{"id":"7","properties":{"name":"Acme"}}]}`,
	})
	return hubspot.NewClient(token, capability.WithBaseURL(base)).Grant(scopes)
}

func TestSyncContactsWithEveryScope(t *testing.T) {
	got, err := SyncContacts(context.Background(),
		hubspotGrant(t, "crm.objects.contacts.read", "crm.objects.companies.read"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Contacts) != 1 || len(got.Companies) != 1 || got.CompaniesSkipped {
		t.Errorf("got %+v, want one contact and one company", got)
	}
}

func TestSyncContactsWithoutTheOptionalScope(t *testing.T) {
	got, err := SyncContacts(context.Background(), hubspotGrant(t, "crm.objects.contacts.read"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.CompaniesSkipped || len(got.Contacts) != 1 {
		t.Errorf("got %+v, want contacts only, companies skipped", got)
	}
}

func TestSyncContactsFailsEarlyWithoutTheRequiredScope(t *testing.T) {
	_, err := SyncContacts(context.Background(), hubspotGrant(t, "crm.objects.companies.read"))
	var e *capability.Error
	if !errors.As(err, &e) || e.Status != 403 || e.Feature != "contact_sync" ||
		e.Capability != "contact.read" || !slices.Equal(e.Missing, []string{"crm.objects.contacts.read"}) {
		t.Fatalf("err = %v, want a 403 naming contact_sync, contact.read and its scope", err)
	}
}

func TestCloseWithComment(t *testing.T) {
	base, seen := fakeAPI(t, map[string]string{
		"GET /repos/acme/app/issues/7":           `{"id":1,"number":7,"state":"open"}`,
		"POST /repos/acme/app/issues/7/comments": `{"id":2,"body":"done"}`,
		"PATCH /repos/acme/app/issues/7":         `{"id":1,"number":7,"state":"closed"}`,
	})
	grant := github.NewClient(token, capability.WithBaseURL(base)).Grant([]string{"repo"})
	if err := CloseWithComment(context.Background(), grant, "acme", "app", 7, "done"); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /repos/acme/app/issues/7", "POST /repos/acme/app/issues/7/comments",
		"PATCH /repos/acme/app/issues/7"}
	if !slices.Equal(*seen, want) {
		t.Errorf("requests = %v, want %v", *seen, want)
	}
}

// TestAuthRequestAsksForTheManifestScopes checks the authorization request
// a product sends for its features: required scopes in scope, optional ones
// in HubSpot's optional_scope, PKCE on.
func TestAuthRequestAsksForTheManifestScopes(t *testing.T) {
	r, err := hubspot.AuthRequest(hubspot.FeatureContactSync)
	if err != nil {
		t.Fatal(err)
	}
	conf := oauth2.Config{ClientID: "id", Endpoint: oauth2.Endpoint{AuthURL: "https://app.hubspot.com/oauth/authorize"}}
	u, _ := url.Parse(conf.AuthCodeURL("state", r.Options...))
	q := u.Query()
	if q.Get("scope") != "crm.objects.contacts.read" || q.Get("optional_scope") != "crm.objects.companies.read" {
		t.Errorf("scope = %q, optional_scope = %q", q.Get("scope"), q.Get("optional_scope"))
	}
	if r.Verifier == "" || q.Get("code_challenge_method") != "S256" {
		t.Error("PKCE is not used although HubSpot supports it")
	}
}

func TestIncrementalAuthRequestAddsOnlyWhatIsMissing(t *testing.T) {
	grant := hubspot.NewClient(token).Grant([]string{"crm.objects.contacts.read"})
	r, err := grant.IncrementalAuthRequest(hubspot.FeatureContactSync)
	if err != nil {
		t.Fatal(err)
	}
	// HubSpot replaces scopes on re-consent, so the held scope is asked again.
	want := []string{"crm.objects.companies.read", "crm.objects.contacts.read"}
	if !slices.Equal(r.Scopes, want) {
		t.Errorf("Scopes = %v, want %v", r.Scopes, want)
	}
}

// TestUndeclaredCallsDoNotCompile proves that code using a capability no
// feature declared does not compile: capgen generated nothing for it.
func TestUndeclaredCallsDoNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: runs the go command")
	}
	snippets := []struct{ name, body, want string }{
		{"declared capability compiles", `h, _ := (&hubspot.Grant{}).ContactRead()
	_, _ = h.ListContacts(ctx, hubspot.ListContactsParams{})`, ""},
		{"undeclared capability of a declared provider", `h, _ := (&hubspot.Grant{}).ContactWrite()
	_ = h`, "(&hubspot.Grant{}).ContactWrite undefined"},
		{"undeclared operation's type", `_ = hubspot.DealRead{}`, "undefined: hubspot.DealRead"},
		{"write through a read handle", `h, _ := (&hubspot.Grant{}).ContactRead()
	_, _ = h.CreateContact(ctx, nil)`, "h.CreateContact undefined"},
	}
	for i, s := range snippets {
		t.Run(s.name, func(t *testing.T) {
			dir, err := os.MkdirTemp(".", "compilefail")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			src := "package main\n\nimport (\n\t\"context\"\n\n\t\"github.com/capgen/capgen/examples/" +
				"integrations/hubspot\"\n)\n\nfunc main() {\n\tctx := context.Background()\n\t_ = ctx\n\t" +
				s.body + "\n}\n"
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("go", "build", "-o", os.DevNull, "./"+filepath.Base(dir)).CombinedOutput()
			switch {
			case s.want == "" && err != nil:
				t.Fatalf("snippet %d should compile:\n%s", i, out)
			case s.want != "" && err == nil:
				t.Fatalf("snippet %d compiled, want %q", i, s.want)
			case s.want != "" && !strings.Contains(string(out), s.want):
				t.Errorf("compiler said:\n%s\nwant %q", out, s.want)
			}
		})
	}
}
