package sandbox_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/capgen/capgen/sandbox"
)

func startAcme(t *testing.T) *sandbox.Sandbox {
	t.Helper()
	return sandbox.Start(t, "testdata/acme/providers/acme.yaml",
		sandbox.WithVocabulary("testdata/acme/capabilities.yaml"))
}

func TestSpecFileWithItsOwnVocabulary(t *testing.T) {
	sb := startAcme(t)
	tok, err := sb.Authorize(context.Background(), "widgets:admin", "gadgets:read")
	if err != nil {
		t.Fatal(err)
	}
	authed, _ := tok.Extra("authed").(map[string]any)
	if got, want := authed["scope"], "widgets:admin,gadgets:read"; got != want {
		t.Errorf("authed.scope = %v, want %q", got, want)
	}
}

func TestSuccessBodyIsSampledFromTheTypes(t *testing.T) {
	sb := startAcme(t)
	tok := authorize(t, sb, []string{"widgets:admin"})

	status, _, body := get(t, sb.BaseURL+"/widgets/7.json", tok.AccessToken)
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200", status)
	}
	made, err := time.Parse(time.RFC3339, body["made"].(string))
	if err != nil || time.Since(made) > time.Minute {
		t.Errorf("made = %v, want a time of the sandbox's start", body["made"])
	}
	delete(body, "made")
	want := map[string]any{
		"id":     "sample-id",
		"count":  1.0,
		"ok":     true,
		"tags":   []any{"sample-tags"},
		"labels": map[string]any{"sample": "sample-labels"},
		"parent": nil, // Widget holds a Widget: the sample ends the recursion
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestFailuresTakeTheSpecsShapes(t *testing.T) {
	sb := startAcme(t)
	gadgets := authorize(t, sb, []string{"gadgets:read"})

	status, _, _ := getArray(t, sb.BaseURL+"/widgets/7.json", gadgets.AccessToken)
	if status != http.StatusForbidden {
		t.Errorf("missing scope: status %d, want 403", status)
	}

	sb.Expire()
	status, header, _ := get(t, sb.BaseURL+"/widgets/7.json", gadgets.AccessToken)
	if status != http.StatusUnauthorized || header.Get("X-Token-State") != "expired" {
		t.Errorf("expired: status %d, X-Token-State %q; want 401, expired", status,
			header.Get("X-Token-State"))
	}

	status, header, _ = get(t, sb.BaseURL+"/widgets/7.json", "not-a-token")
	if status != http.StatusUnauthorized || header.Get("X-Token-State") != "" {
		t.Errorf("unknown token: status %d, X-Token-State %q; want 401 without it", status,
			header.Get("X-Token-State"))
	}
}

func TestMissingScopesSitInsideThePattern(t *testing.T) {
	sb := startAcme(t)
	gadgets := authorize(t, sb, []string{"gadgets:read"})

	_, _, body := getArray(t, sb.BaseURL+"/widgets/7.json", gadgets.AccessToken)
	if len(body) != 1 {
		t.Fatalf("body = %v, want one error object", body)
	}
	first, _ := body[0].(map[string]any)
	// widgets:admin implies widgets:read, but the rule is not any_of: the
	// closest alternative's missing scope is named.
	if first["code"] != "NO_SCOPE" || first["detail"] != "needs 'widgets:read'" {
		t.Errorf("body = %v, want code NO_SCOPE and detail needs 'widgets:read'", first)
	}
}

func TestUnmatchedPathsAreRecorded(t *testing.T) {
	sb := startAcme(t)
	status, _, _ := get(t, sb.BaseURL+"/gadgets", "")
	if status != http.StatusNotFound {
		t.Errorf("status %d, want 404", status)
	}
	calls := sb.Calls()
	if len(calls) != 1 || calls[0].Outcome != "not_found" || calls[0].Path != "/gadgets" {
		t.Errorf("calls = %+v, want one not_found call of /gadgets", calls)
	}
}

func TestNoResponseTypeAnswersNoContent(t *testing.T) {
	sb := startAcme(t)
	tok := authorize(t, sb, []string{"widgets:write"})
	req, _ := http.NewRequest(http.MethodDelete, sb.BaseURL+"/widgets/7.json", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("status %d, want 204", resp.StatusCode)
	}
}

func TestStartRefusesWhatItCannotServe(t *testing.T) {
	tests := []struct {
		name, spec string
		opts       []sandbox.Option
		want       string
	}{
		{"unknown provider", "nosuch", nil, "no bundled provider"},
		{"missing file", "testdata/nosuch.yaml", nil, "read spec"},
		{"address off loopback", "hubspot",
			[]sandbox.Option{sandbox.WithAddrs("192.0.2.1:0", "")}, "not on loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb, err := sandbox.New(tt.spec, tt.opts...)
			if err == nil {
				sb.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func get(t *testing.T, url, token string) (int, http.Header, map[string]any) {
	t.Helper()
	var body map[string]any
	status, header := fetch(t, url, token, &body)
	return status, header, body
}

func getArray(t *testing.T, url, token string) (int, http.Header, []any) {
	t.Helper()
	var body []any
	status, header := fetch(t, url, token, &body)
	return status, header, body
}

func fetch(t *testing.T, url, token string, into any) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s: body is not the JSON expected: %v", url, err)
	}
	return resp.StatusCode, resp.Header
}
