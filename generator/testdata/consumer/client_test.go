package consumer_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"

	"example.com/consumer/acme"
)

// server answers like Acme's API and records the last request.
func server(t *testing.T, last *http.Request, lastBody *map[string]any) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*last = *r.Clone(context.Background())
		if r.Body != nil {
			json.NewDecoder(r.Body).Decode(lastBody)
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/v1/contacts" && r.Method == "GET":
			w.Write([]byte(`{"results":[{"id":"1","email":"ada@example.com"}],"next":"abc"}`))
		case r.URL.Path == "/v1/contacts" && r.Method == "POST":
			w.Write([]byte(`{"id":"2","email":"bob@example.com"}`))
		case r.URL.Path == "/v1/companies":
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"category":"MISSING_SCOPES",` +
				`"errors":[{"context":{"requiredScopes":["companies.read"]}}]}`))
		default:
			w.Write([]byte(`{"id":"x"}`))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func client(srv *httptest.Server) *acme.Client {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "tok-secret-123"})
	return acme.NewClient(ts, capability.WithBaseURL(srv.URL))
}

func TestReadHandleCallsItsOperations(t *testing.T) {
	var last http.Request
	var body map[string]any
	c := client(server(t, &last, &body))
	reader, err := c.Grant([]string{"contacts.read"}).ContactRead()
	if err != nil {
		t.Fatalf("ContactRead with contacts.read granted: %v", err)
	}
	page, err := reader.ListContacts(context.Background(), acme.ListContactsParams{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Results) != 1 || page.Results[0].Email != "ada@example.com" || page.Next != "abc" {
		t.Errorf("page = %+v", page)
	}
	if got := last.URL.RawQuery; got != "limit=2" {
		t.Errorf("query = %q, want limit=2", got)
	}
	if got := last.Header.Get("Authorization"); got != "Bearer tok-secret-123" {
		t.Errorf("Authorization = %q", got)
	}

	if _, err := reader.GetContact(context.Background(), acme.GetContactParams{ContactID: "a/b c"}); err != nil {
		t.Fatal(err)
	}
	if got := last.URL.EscapedPath(); got != "/v1/contacts/a%2Fb%20c" {
		t.Errorf("path = %q, want the parameter escaped", got)
	}
}

func TestWriteHandleSendsJSON(t *testing.T) {
	var last http.Request
	var body map[string]any
	c := client(server(t, &last, &body))
	writer, err := c.Grant([]string{"contacts.write"}).ContactWrite()
	if err != nil {
		t.Fatal(err)
	}
	got, err := writer.CreateContact(context.Background(), &acme.ContactInput{Email: "bob@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "2" || body["email"] != "bob@example.com" {
		t.Errorf("created %+v from body %v", got, body)
	}
	if ct := last.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestGrantWithoutScopesMintsNoHandle(t *testing.T) {
	c := client(server(t, new(http.Request), new(map[string]any)))
	_, err := c.Grant([]string{"contacts.read"}).ContactWrite()
	var e *capability.Error
	if !errors.As(err, &e) || e.Status != 403 || len(e.Missing) != 1 || e.Missing[0] != "contacts.write" {
		t.Fatalf("ContactWrite without contacts.write: %v, want a 403 naming contacts.write", err)
	}
	if !errors.Is(err, capability.ErrForbidden) {
		t.Errorf("errors.Is(err, ErrForbidden) = false for %v", err)
	}
}

func TestImpliedScopeSatisfiesCapability(t *testing.T) {
	c := client(server(t, new(http.Request), new(map[string]any)))
	if _, err := c.Grant([]string{"contacts.write"}).ContactRead(); err != nil {
		t.Errorf("contacts.write implies contacts.read, yet ContactRead failed: %v", err)
	}
}

func TestZeroHandleFailsWithoutPanic(t *testing.T) {
	var h acme.ContactRead
	_, err := h.ListContacts(context.Background(), acme.ListContactsParams{})
	if !errors.Is(err, capability.ErrNoHandle) {
		t.Errorf("zero handle: err = %v, want ErrNoHandle", err)
	}
	var g *acme.Grant
	if _, err := g.ContactRead(); err == nil {
		t.Error("a nil grant minted a handle")
	}
}

func TestProviderErrorBecomesOneShape(t *testing.T) {
	c := client(server(t, new(http.Request), new(map[string]any)))
	h, err := c.Grant([]string{"companies.read"}).CompanyRead()
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.ListCompanies(context.Background())
	var e *capability.Error
	if !errors.As(err, &e) || e.Status != 403 || e.Kind != capability.KindMissingScope ||
		e.Provider != "acme" || e.Operation != "ListCompanies" {
		t.Fatalf("err = %#v, want a 403 missing_scope error of acme ListCompanies", err)
	}
	if len(e.Missing) != 1 || e.Missing[0] != "companies.read" {
		t.Errorf("Missing = %v, want [companies.read]", e.Missing)
	}
}

func TestDescriptionIsReadOnly(t *testing.T) {
	ops := acme.Provider().Operations()
	ops[0].Name = "Changed"
	if acme.Provider().Operations()[0].Name == "Changed" {
		t.Error("Provider().Operations() returned the provider's own slice")
	}
	op, ok := acme.Provider().Operation("GetContact")
	if !ok || op.Capability != "contact.read" || len(op.Requirement.AnyOf) != 2 {
		t.Errorf("GetContact = %+v, %v", op, ok)
	}
}
