package capability_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

// contactReply is a typical small JSON object, as GetContact returns.
const contactReply = `{"id":"512","properties":{"email":"ada@example.com",` +
	`"firstname":"Ada","lastname":"Lovelace"},"createdAt":"2026-03-10T23:04:41.164Z",` +
	`"archived":false}`

type benchContact struct {
	ID         string            `json:"id"`
	Properties map[string]string `json:"properties"`
	CreatedAt  string            `json:"createdAt"`
	Archived   bool              `json:"archived"`
}

func benchServer(b *testing.B) (*httptest.Server, *http.Client) {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, contactReply)
	}))
	b.Cleanup(srv.Close)
	return srv, &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
}

// BenchmarkGeneratedStyleCall is a GET through Handle.Call, the path
// generated methods take.
func BenchmarkGeneratedStyleCall(b *testing.B) {
	srv, hc := benchServer(b)
	client := capability.NewClient(hubspot,
		oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken}),
		capability.WithBaseURL(srv.URL), capability.WithHTTPClient(hc))
	h, err := capability.NewGrant(hubspot, []string{"contacts"}).Handle(client, "contact.read")
	if err != nil {
		b.Fatal(err)
	}
	req := capability.Request{PathParams: []string{"contactId", "512"}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out benchContact
		if err := h.Call(ctx, "GetContact", req, &out); err != nil || out.ID != "512" {
			b.Fatalf("Call = %v, id %q", err, out.ID)
		}
	}
}

// BenchmarkHandWrittenCall is the same GET written with net/http and
// encoding/json alone.
func BenchmarkHandWrittenCall(b *testing.B) {
	srv, hc := benchServer(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		var out benchContact
		if err := handWrittenGet(ctx, hc, srv.URL, "512", &out); err != nil || out.ID != "512" {
			b.Fatalf("get = %v, id %q", err, out.ID)
		}
	}
}

func handWrittenGet(ctx context.Context, hc *http.Client, base, id string,
	out *benchContact) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		base+"/crm/v3/objects/contacts/"+id, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
