package capability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/capgen/capgen/capability"
)

// echoServer answers with the request's own Authorization header placed
// where a careless provider might put it.
func echoServer(t *testing.T, status int, shape string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		bare := strings.TrimPrefix(auth, "Bearer ")
		switch shape {
		case "header":
			w.Header().Set("X-Accepted-OAuth-Scopes", bare)
		case "hubspot":
			shape = fmt.Sprintf(`{"category":"MISSING_SCOPES","message":"token %s lacks scopes",`+
				`"errors":[{"context":{"requiredGranularScopes":[%q]}}]}`, bare, bare)
		case "slack":
			shape = fmt.Sprintf(`{"ok":false,"error":"missing_scope","needed":"%s"}`, bare)
		default:
			shape = fmt.Sprintf(shape, auth, bare)
		}
		w.WriteHeader(status)
		io.WriteString(w, shape)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func debugLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestTokenNeverInErrors(t *testing.T) {
	long := strings.Repeat("x", 180) + " %[2]s %[1]s"
	tests := []struct {
		name   string
		call   call
		status int
		shape  string
	}{
		{"unmatched 500 echoing the header", hubspotGet, 500, `{"debug":"got %s and %s"}`},
		{"unmatched 500 echoing as text", hubspotGet, 500, "Authorization: %s\naccess_token=%s"},
		{"token cut at the excerpt's end", hubspotGet, 500, long},
		{"message and missing scopes", hubspotGet, 403, "hubspot"},
		{"missing scope from a header", githubIssues, 403, "header"},
		{"slack needed field", slackPost, 200, "slack"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := echoServer(t, tt.status, tt.shape)
			var logs bytes.Buffer
			logger := debugLogger(&logs)
			c := tt.call
			handle := connect(t, c.provider, srv.URL, c.granted, c.capability,
				capability.WithLogger(logger))
			err := handle.Call(context.Background(), c.op,
				capability.Request{PathParams: c.params}, nil)
			e, ok := errors.AsType[*capability.Error](err)
			if !ok {
				t.Fatalf("Call = %v, want a *capability.Error", err)
			}
			texts := append([]string{err.Error(), e.Message, logs.String()}, e.Missing...)
			for _, text := range texts {
				if strings.Contains(text, testToken) || strings.Contains(text, testToken[:16]) {
					t.Errorf("the token appears in %q", text)
				}
			}
		})
	}
}

func TestTokenNeverInRefreshErrors(t *testing.T) {
	ts := failingSource{errors.New("refresh with " + testToken + " failed")}
	client := capability.NewClient(hubspot, ts, capability.WithBaseURL("http://127.0.0.1:1"))
	h, err := capability.NewGrant(hubspot, []string{"contacts"}).Handle(client, "contact.read")
	if err != nil {
		t.Fatal(err)
	}
	err = h.Call(context.Background(), "GetContact",
		capability.Request{PathParams: []string{"contactId", "1"}}, nil)
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("Call = %v; want an error that does not show the token", err)
	}
}

func TestLogging(t *testing.T) {
	srv := fixedServer(t, 403, nil, capability.HubSpotMissingScopes)
	req := capability.Request{
		PathParams: []string{"contactId", "private-id-77"},
		Query:      url.Values{"email": {"ada@example.com"}},
	}

	var logs bytes.Buffer
	logger := debugLogger(&logs)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read",
		capability.WithLogger(logger))
	h.Call(context.Background(), "GetContact", req, nil)
	h.Call(context.Background(), "CreateContact", req, nil)
	got := logs.String()
	for _, want := range []string{"operation=GetContact", "status=403", "kind=missing_scope",
		"path=/crm/v3/objects/contacts/{contactId}", "operation=CreateContact", "kind=no_handle"} {
		if !strings.Contains(got, want) {
			t.Errorf("logs lack %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{testToken, "private-id-77", "ada@example.com"} {
		if strings.Contains(got, secret) {
			t.Errorf("logs show %q:\n%s", secret, got)
		}
	}
}

func TestSilentWithoutLogger(t *testing.T) {
	var logs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(debugLogger(&logs))
	defer slog.SetDefault(previous)

	srv := fixedServer(t, 500, nil, `{}`)
	h := connect(t, hubspot, srv.URL, []string{"contacts"}, "contact.read")
	req := capability.Request{PathParams: []string{"contactId", "1"}}
	h.Call(context.Background(), "GetContact", req, nil)
	if logs.Len() != 0 {
		t.Errorf("the runtime logged without a logger:\n%s", logs.String())
	}
}
