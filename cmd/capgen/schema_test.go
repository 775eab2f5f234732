package main

import (
	"testing"

	"github.com/capgen/capgen/internal/spec"
)

func TestSchemaPrintsTheSpecSchema(t *testing.T) {
	want, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := capgen(t, "schema")
	if code != 0 || stderr != "" {
		t.Fatalf("capgen schema: exit %d, stderr %q", code, stderr)
	}
	if stdout != string(want) {
		t.Error("capgen schema does not print what spec.Schema returns")
	}
}

func TestSchemaTakesNoArguments(t *testing.T) {
	if code, _, stderr := capgen(t, "schema", "specs"); code != 2 || stderr == "" {
		t.Errorf("capgen schema specs: exit %d, stderr %q; want 2 and a message", code, stderr)
	}
}
