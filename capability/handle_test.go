package capability_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/capgen/capgen/capability"
)

const testToken = "tok_5ecret_never_in_errors_0123456789"

// connect mints the handle for capability on p, with a client that sends
// testToken to baseURL.
func connect(t *testing.T, p *capability.Provider, baseURL string, granted []string,
	capName string, opts ...capability.Option) capability.Handle {
	t.Helper()
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: testToken})
	opts = append([]capability.Option{capability.WithBaseURL(baseURL)}, opts...)
	client := capability.NewClient(p, ts, opts...)
	h, err := capability.NewGrant(p, granted).Handle(client, capName)
	if err != nil {
		t.Fatalf("minting %s: %v", capName, err)
	}
	return h
}

// recorded is what a test server saw of one request.
type recorded struct {
	Method, EscapedPath, RawQuery string
	ContentType, Accept, Auth     string
	Body                          string
}

func recordingServer(t *testing.T, reply string) (*httptest.Server, *atomic.Pointer[recorded]) {
	t.Helper()
	var last atomic.Pointer[recorded]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		last.Store(&recorded{
			Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
			ContentType: r.Header.Get("Content-Type"), Accept: r.Header.Get("Accept"),
			Auth: r.Header.Get("Authorization"), Body: string(body),
		})
		w.Header().Set("Content-Type", "application/json")
		if reply == "" {
			reply = string(body)
		}
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func TestCallBuildsRequest(t *testing.T) {
	type contact struct {
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
	}
	tests := []struct {
		name string
		op   string
		req  capability.Request
		want recorded
	}{
		{"path parameter escaped", "GetContact",
			capability.Request{PathParams: []string{"contactId", "a/b c?d#e%"}},
			recorded{Method: "GET", EscapedPath: "/crm/v3/objects/contacts/a%2Fb%20c%3Fd%23e%25"}},
		{"query appended", "GetContact", capability.Request{
			PathParams: []string{"contactId", "42"},
			Query:      url.Values{"properties": {"email", "name"}, "archived": {"false"}}},
			recorded{Method: "GET", EscapedPath: "/crm/v3/objects/contacts/42",
				RawQuery: "archived=false&properties=email&properties=name"}},
		{"JSON body sent", "CreateContact", capability.Request{Body: contact{
			ID: "7", Properties: map[string]string{"email": "ada@example.com"}}},
			recorded{Method: "POST", EscapedPath: "/crm/v3/objects/contacts",
				ContentType: "application/json",
				Body:        `{"id":"7","properties":{"email":"ada@example.com"}}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, last := recordingServer(t, `{"id":"7","properties":{"email":"ada@example.com"}}`)
			h := connect(t, hubspot, srv.URL+"/", []string{"contacts"}, "contact.read")
			if tt.op == "CreateContact" {
				h = connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.write")
			}
			var out contact
			if err := h.Call(context.Background(), tt.op, tt.req, &out); err != nil {
				t.Fatalf("Call: %v", err)
			}
			tt.want.Accept, tt.want.Auth = "application/json", "Bearer "+testToken
			if diff := cmp.Diff(tt.want, *last.Load()); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			want := contact{ID: "7", Properties: map[string]string{"email": "ada@example.com"}}
			if diff := cmp.Diff(want, out); diff != "" {
				t.Errorf("decoded response (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCallJSONRoundTrip(t *testing.T) {
	srv, _ := recordingServer(t, "") // echoes the request body
	h := connect(t, slack, srv.URL, []string{"chat:write"}, "message.write")
	in := map[string]any{"channel": "C1", "text": "héllo <b>", "blocks": []any{1.5, true, nil}}
	var out map[string]any
	err := h.Call(context.Background(), "PostMessage", capability.Request{Body: in}, &out)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestCallWithoutOutOrBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.write")
	var out struct{ ID string }
	err := h.Call(context.Background(), "ArchiveContact",
		capability.Request{PathParams: []string{"contactId", "9"}}, &out)
	if err != nil {
		t.Errorf("204 with an out value: %v", err)
	}
}

func TestCallDecodeFailure(t *testing.T) {
	srv, _ := recordingServer(t, `<html>not json</html>`)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	var out struct{ ID string }
	err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, &out)
	if e, ok := errors.AsType[*capability.Error](err); !ok || e.Kind != capability.KindDecode {
		t.Errorf("Call = %v, want a *Error of KindDecode", err)
	}
	if err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil); err != nil {
		t.Errorf("with a nil out the body is not decoded, but Call = %v", err)
	}
}

func TestCallRefusesBadRequests(t *testing.T) {
	srv, last := recordingServer(t, `{}`)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.write")
	tests := []struct {
		name string
		op   string
		req  capability.Request
	}{
		{"odd path parameters", "ArchiveContact",
			capability.Request{PathParams: []string{"contactId"}}},
		{"no path parameters", "ArchiveContact", capability.Request{}},
		{"unknown path parameter", "ArchiveContact",
			capability.Request{PathParams: []string{"id", "1"}}},
		{"empty value", "ArchiveContact",
			capability.Request{PathParams: []string{"contactId", ""}}},
		{"dot-dot value", "ArchiveContact",
			capability.Request{PathParams: []string{"contactId", ".."}}},
		{"body that does not encode", "CreateContact",
			capability.Request{Body: map[string]any{"f": func() {}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := h.Call(context.Background(), tt.op, tt.req, nil)
			e, ok := errors.AsType[*capability.Error](err)
			if !ok || e.Kind != capability.KindRequest {
				t.Errorf("Call = %v, want a *Error of KindRequest", err)
			}
			if last.Load() != nil {
				t.Error("the request was sent")
			}
		})
	}
}

func TestZeroHandleNeverPanics(t *testing.T) {
	var h capability.Handle
	if h.Valid() || h.Capability() != "" {
		t.Errorf("zero handle: Valid() = %v, Capability() = %q", h.Valid(), h.Capability())
	}
	for _, ctx := range []context.Context{context.Background(), nil} {
		err := h.Call(ctx, "GetContact", capability.Request{Body: func() {}}, new(int))
		if !errors.Is(err, capability.ErrNoHandle) {
			t.Errorf("zero handle Call = %v, want ErrNoHandle", err)
		}
		e, ok := errors.AsType[*capability.Error](err)
		if !ok || e.Kind != capability.KindNoHandle {
			t.Errorf("zero handle Call = %#v, want a *Error of KindNoHandle", err)
		}
	}
}

func TestCallNilContext(t *testing.T) {
	srv, last := recordingServer(t, `{}`)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	//lint:ignore SA1012 a nil context must not panic
	req := capability.Request{PathParams: []string{"contactId", "1"}}
	err := h.Call(nil, "GetContact", req, nil)
	if e, ok := errors.AsType[*capability.Error](err); !ok || e.Kind != capability.KindRequest {
		t.Errorf("Call(nil ctx) = %v, want a *Error of KindRequest", err)
	}
	if last.Load() != nil {
		t.Error("the request was sent")
	}
}

func TestCallOutsideTheHandle(t *testing.T) {
	srv, last := recordingServer(t, `{}`)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	for _, op := range []string{"CreateContact", "NoSuchOperation", ""} {
		err := h.Call(context.Background(), op, capability.Request{}, nil)
		if !errors.Is(err, capability.ErrNoHandle) {
			t.Errorf("Call(%q) through contact.read = %v, want ErrNoHandle", op, err)
		}
	}
	if last.Load() != nil {
		t.Error("a request was sent")
	}
}

func TestCallContext(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
	}))
	defer srv.Close()
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	req := capability.Request{PathParams: []string{"contactId", "1"}}

	t.Run("cancelled while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-arrived; cancel() }()
		err := h.Call(ctx, "GetContact", req, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Call = %v, want context.Canceled", err)
		}
		if e, ok := errors.AsType[*capability.Error](err); !ok || e.Kind != capability.KindRequest {
			t.Errorf("Call = %v, want a *Error of KindRequest", err)
		}
	})
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := h.Call(ctx, "GetContact", req, nil); !errors.Is(err, context.Canceled) {
			t.Errorf("Call = %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if err := h.Call(ctx, "GetContact", req, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Call = %v, want context.DeadlineExceeded", err)
		}
	})
}

func TestCallDoesNotFollowRedirectsAway(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization") != "")
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/elsewhere", http.StatusFound)
	}))
	defer srv.Close()

	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil)
	if e, ok := errors.AsType[*capability.Error](err); !ok || e.Status != http.StatusFound {
		t.Errorf("Call = %v, want the 302 as a *Error", err)
	}
	if leaked.Load() {
		t.Error("the token was sent to another host")
	}
}

func TestCallRefreshFailure(t *testing.T) {
	srv, last := recordingServer(t, `{}`)
	tests := []struct {
		name     string
		status   int
		wantKind capability.Kind
		want401  bool
	}{
		{"refused refresh needs new authorization", 400, capability.KindInvalidCredentials, true},
		{"token endpoint down", 503, capability.KindRequest, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := failingSource{&oauth2.RetrieveError{
				Response:  &http.Response{StatusCode: tt.status},
				Body:      []byte(`{"error":"invalid_grant","refresh_token":"` + testToken + `"}`),
				ErrorCode: "invalid_grant",
			}}
			client := capability.NewClient(hubspot, ts, capability.WithBaseURL(srv.URL))
			grant := capability.NewGrant(hubspot, []string{"contacts"})
			h, err := grant.Handle(client, "contact.read")
			if err != nil {
				t.Fatal(err)
			}
			err = h.Call(context.Background(), "GetContact",
				capability.Request{PathParams: []string{"contactId", "1"}}, nil)
			e, ok := errors.AsType[*capability.Error](err)
			is401 := errors.Is(err, capability.ErrUnauthorized)
			if !ok || e.Kind != tt.wantKind || is401 != tt.want401 {
				t.Errorf("Call = %#v, want kind %s, 401 %v", err, tt.wantKind, tt.want401)
			}
			if _, ok := errors.AsType[*oauth2.RetrieveError](err); !ok {
				t.Error("the *oauth2.RetrieveError is not reachable with errors.As")
			}
			if last.Load() != nil {
				t.Error("the request was sent without a token")
			}
		})
	}
}

type failingSource struct{ err error }

func (f failingSource) Token() (*oauth2.Token, error) { return nil, f.err }

// fixedServer answers every request with the same response.
func fixedServer(t *testing.T, status int, header http.Header, body string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, vs := range header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestCallPlainAPIValuesDecode(t *testing.T) {
	srv := fixedServer(t, 200, nil, capability.SlackOK)
	h := connect(t, slack, srv.URL, []string{"chat:write"}, "message.write")
	var out struct {
		OK      bool   `json:"ok"`
		Channel string `json:"channel"`
	}
	err := h.Call(context.Background(), "PostMessage",
		capability.Request{Body: json.RawMessage(`{"channel":"C123","text":"hi"}`)}, &out)
	if err != nil || !out.OK || out.Channel != "C123" {
		t.Errorf("Call = %v, out = %+v; want success with channel C123", err, out)
	}
}

// countingTransport counts the requests that go through it.
type countingTransport struct {
	n    atomic.Int32
	auth atomic.Pointer[string]
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	auth := r.Header.Get("Authorization")
	c.auth.Store(&auth)
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClient(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/crm/v3/objects/contacts/slow" {
			time.Sleep(200 * time.Millisecond)
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	transport := &countingTransport{}
	base := &http.Client{Transport: transport, Timeout: 50 * time.Millisecond}
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read",
		capability.WithHTTPClient(base), nil)

	err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil)
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	if transport.n.Load() != 1 || *transport.auth.Load() != "Bearer "+testToken {
		t.Errorf("base transport saw %d requests, the last with the token %v",
			transport.n.Load(), *transport.auth.Load() == "Bearer "+testToken)
	}

	err = h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "slow"}}, nil)
	if e, ok := errors.AsType[*capability.Error](err); !ok || e.Kind != capability.KindRequest {
		t.Errorf("Call past the base client's timeout = %v, want a *Error of KindRequest", err)
	}
}

func TestCallNetworkFailure(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens at its address any more
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil)
	e, ok := errors.AsType[*capability.Error](err)
	if !ok || e.Kind != capability.KindRequest || e.Status != 0 {
		t.Fatalf("Call = %#v, want a *Error of KindRequest", err)
	}
	if !strings.Contains(e.Message, "sending the request failed: ") {
		t.Errorf("Message = %q, want it to say the request could not be sent", e.Message)
	}
}

func TestCallFollowsRedirectsOnTheSameHost(t *testing.T) {
	var auth atomic.Pointer[string]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/moved" {
			http.Redirect(w, r, "/moved", http.StatusMovedPermanently)
			return
		}
		a := r.Header.Get("Authorization")
		auth.Store(&a)
		io.WriteString(w, `{"id":"x"}`)
	}))
	defer srv.Close()
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	var out struct{ ID string }
	err := h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, &out)
	if err != nil || out.ID != "x" || auth.Load() == nil || *auth.Load() != "Bearer "+testToken {
		t.Errorf("Call = %v, out %+v; want the redirect followed with the token", err, out)
	}
}
