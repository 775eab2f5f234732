package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestQuickstartWalksThroughEveryStep(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &out); err != nil {
		t.Fatalf("quickstart failed: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"missing [crm.objects.contacts.read]",
		"feature contact_sync, capability contact.read",
		"incremental request:",
		"verified: contact_sync ready",
		"ListContacts: 1 contacts",
		"succeeded after 1 refresh",
		"status 403, kind missing_scope, missing [crm.objects.contacts.read]",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
