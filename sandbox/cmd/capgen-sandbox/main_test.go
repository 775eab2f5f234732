package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestRunPrintsTheSettingsAndStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"-spec", "slack", "-grant", "chat:write"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr: %s", code, stderr.String())
	}
	for _, want := range []string{"provider        slack", "api base URL    http://127.0.0.1:",
		"token URL       http://127.0.0.1:", "client ID       sandbox-slack", "client secret"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestRunRefusesBadArguments(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no spec", nil, 2, "give -spec"},
		{"unknown flag", []string{"-nosuch"}, 2, "flag provided but not defined"},
		{"unknown provider", []string{"-spec", "nosuch"}, 1, "no bundled provider"},
		{"address off loopback", []string{"-spec", "github", "-addr", "0.0.0.0:0"}, 1,
			"not on loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tt.code, tt.want)
			}
		})
	}
}
