package spec_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/spec"
)

const committedSchema = "../../docs/spec.schema.json"

func TestSchemaIsCommitted(t *testing.T) {
	got, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(committedSchema)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("docs/spec.schema.json is not what Schema returns: " +
			"run `go run ./cmd/capgen schema > docs/spec.schema.json`")
	}
	again, _ := spec.Schema()
	if !bytes.Equal(got, again) {
		t.Error("two calls of Schema return different bytes")
	}
}

// TestBundledSpecsMatchSchema validates every bundled provider spec against
// the schema, and the vocabulary against its definition.
func TestBundledSpecsMatchSchema(t *testing.T) {
	v := newValidator(t)
	providers, _ := filepath.Glob("../../specs/providers/*.yaml")
	if len(providers) == 0 {
		t.Fatal("no bundled provider specs")
	}
	for _, path := range providers {
		for _, problem := range v.validate(v.root, readYAML(t, path), "") {
			t.Errorf("%s: %s", path, problem)
		}
	}
	vocab := readYAML(t, "../../specs/capabilities.yaml")
	for _, problem := range v.validate(v.def("vocabularyFile"), vocab, "") {
		t.Errorf("specs/capabilities.yaml: %s", problem)
	}
}

// TestSchemaAgreesWithLoader checks, case by case, that the schema refuses
// what the loader refuses for its shape and accepts what the loader accepts.
func TestSchemaAgreesWithLoader(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		name, edit string
		ok         bool
	}{
		{"minimal spec", "", true},
		{"scalars of any kind as strings", "title: 42\nscopes:\n  contacts.read:\n" +
			"    description: true\n", true},
		{"field written as its type", "types:\n  Contact:\n    fields:\n      id: string\n", true},
		{"unknown key", "colour: blue\n", false},
		{"unknown auth key", "auth:\n  oauth2:\n    authorize_url: https://a.example/auth\n" +
			"    token_url: https://a.example/token\n    pkce_mode: on\n", false},
		{"missing required key", "auth:\n  oauth2:\n    authorize_url: https://a.example/auth\n", false},
		{"word outside an enum", "auth:\n  oauth2:\n    authorize_url: https://a.example/auth\n" +
			"    token_url: https://a.example/token\n    client_auth: header\n", false},
		{"list for a mapping", "scopes: [contacts.read]\n", false},
		{"string for a boolean", "errors:\n  - kind: expired\n    body:\n      - path: a\n" +
			"        present: yes\n", false},
		{"string for an integer", "errors:\n  - kind: expired\n    status: [four]\n", false},
		{"mapping for a string", "title:\n  en: Acme\n", false},
		{"null for a string", "title:\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimalSchemaSpec(tt.edit)
			_, diags := spec.Load(spec.Source{Path: "capabilities.yaml", Data: []byte(testVocabulary)},
				[]spec.Source{{Path: "providers/acme.yaml", Data: []byte(src)}})
			var doc any
			if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
				t.Fatal(err)
			}
			problems := v.validate(v.root, jsonShape(doc), "")
			if loads := !diags.HasErrors(); loads != tt.ok {
				t.Fatalf("loader: ok = %v, want %v:\n%s", loads, tt.ok, diagText(diags))
			}
			if (len(problems) == 0) != tt.ok {
				t.Errorf("schema: problems %q, want ok = %v", problems, tt.ok)
			}
		})
	}
}

// minimalSchemaSpec is a provider spec that loads, with extra top-level
// keys in edit replacing the spec's own.
func minimalSchemaSpec(edit string) string {
	base := map[string]string{
		"provider":     "provider: acme\n",
		"base_url":     "base_url: https://api.acme.example\n",
		"scopes":       "scopes:\n  contacts.read:\n    description: Read contacts.\n",
		"capabilities": "capabilities:\n  contact.read:\n    any_of: [[contacts.read]]\n",
		"operations": "operations:\n  ListContacts:\n    method: GET\n    path: /contacts\n" +
			"    capability: contact.read\n",
	}
	var b strings.Builder
	for _, key := range []string{"provider", "base_url", "scopes", "capabilities", "operations"} {
		if !strings.HasPrefix(edit, key+":") && !strings.Contains(edit, "\n"+key+":") {
			b.WriteString(base[key])
		}
	}
	return b.String() + edit
}

func readYAML(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return jsonShape(doc)
}

// jsonShape gives decoded YAML the shape decoded JSON has: objects with
// string keys, and timestamps as the text they were written as.
func jsonShape(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = jsonShape(e)
		}
		return v
	case map[any]any:
		out := map[string]any{}
		for k, e := range v {
			out[fmt.Sprint(k)] = jsonShape(e)
		}
		return out
	case []any:
		for i, e := range v {
			v[i] = jsonShape(e)
		}
		return v
	case time.Time:
		return v.Format(time.DateOnly)
	}
	return v
}

// validator checks a document against the subset of JSON Schema that
// Schema emits. A keyword outside that subset fails the test, so that the
// schema cannot grow a rule these tests do not check.
type validator struct {
	t    *testing.T
	root map[string]any
}

func newValidator(t *testing.T) *validator {
	data, err := spec.Schema()
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	if root["$schema"] != spec.SchemaURI {
		t.Fatalf("$schema is %v, want %s", root["$schema"], spec.SchemaURI)
	}
	return &validator{t: t, root: root}
}

func (v *validator) def(name string) map[string]any {
	defs, _ := v.root["$defs"].(map[string]any)
	d, ok := defs[name].(map[string]any)
	if !ok {
		v.t.Fatalf("the schema has no definition %s", name)
	}
	return d
}

var (
	annotations    = []string{"$schema", "$defs", "title", "description"}
	objectKeywords = []string{"properties", "required", "additionalProperties"}
)

// validate returns every problem of value at path.
func (v *validator) validate(schema map[string]any, value any, path string) []string {
	var problems []string
	objectDone := false
	for _, key := range keysInOrder(schema) {
		switch {
		case slices.Contains(annotations, key):
		case slices.Contains(objectKeywords, key):
			if !objectDone {
				problems = append(problems, v.object(schema, value, path)...)
				objectDone = true
			}
		default:
			problems = append(problems, v.keyword(schema, key, value, path)...)
		}
	}
	return problems
}

func (v *validator) keyword(schema map[string]any, key string, value any, path string) []string {
	switch key {
	case "$ref":
		return v.validate(v.def(strings.TrimPrefix(schema[key].(string), "#/$defs/")), value, path)
	case "type":
		return checkType(schema[key], value, path)
	case "enum":
		return checkEnum(schema[key].([]any), value, path)
	case "oneOf":
		return v.oneOf(schema[key].([]any), value, path)
	case "items":
		return v.items(schema[key].(map[string]any), value, path)
	}
	v.t.Fatalf("the schema uses %s, which this validator does not check", key)
	return nil
}

func checkType(want, value any, path string) []string {
	got := jsonType(value)
	for _, w := range typeList(want) {
		if w == got || w == "number" && got == "integer" {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s: %s where %v is expected", schemaPath(path), got, want)}
}

func typeList(t any) []string {
	if s, ok := t.(string); ok {
		return []string{s}
	}
	var out []string
	for _, e := range t.([]any) {
		out = append(out, e.(string))
	}
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case int, int64, uint64:
		return "integer"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

func checkEnum(words []any, value any, path string) []string {
	if slices.Contains(words, value) {
		return nil
	}
	return []string{fmt.Sprintf("%s: %v is not one of %v", schemaPath(path), value, words)}
}

func (v *validator) oneOf(alternatives []any, value any, path string) []string {
	matches := 0
	for _, alt := range alternatives {
		if len(v.validate(alt.(map[string]any), value, path)) == 0 {
			matches++
		}
	}
	if matches != 1 {
		return []string{fmt.Sprintf("%s: matches %d of the %d alternatives, want 1", schemaPath(path),
			matches, len(alternatives))}
	}
	return nil
}

func (v *validator) items(schema map[string]any, value any, path string) []string {
	list, ok := value.([]any)
	if !ok {
		return nil
	}
	var problems []string
	for i, item := range list {
		problems = append(problems, v.validate(schema, item, fmt.Sprintf("%s[%d]", path, i))...)
	}
	return problems
}

// object applies properties, required and additionalProperties together,
// as additionalProperties depends on the properties beside it.
func (v *validator) object(schema map[string]any, value any, path string) []string {
	obj, ok := value.(map[string]any)
	if !ok {
		return nil
	}
	props, _ := schema["properties"].(map[string]any)
	var problems []string
	required, _ := schema["required"].([]any)
	for _, r := range required {
		if _, ok := obj[r.(string)]; !ok {
			problems = append(problems, fmt.Sprintf("%s: missing required key %s", schemaPath(path), r))
		}
	}
	for _, key := range keysInOrder(obj) {
		sub := path + "." + key
		switch extra := schema["additionalProperties"]; {
		case props[key] != nil:
			problems = append(problems, v.validate(props[key].(map[string]any), obj[key], sub)...)
		case extra == false:
			problems = append(problems, fmt.Sprintf("%s: unknown key", schemaPath(sub)))
		case extra != nil:
			problems = append(problems, v.validate(extra.(map[string]any), obj[key], sub)...)
		}
	}
	return problems
}

func schemaPath(path string) string {
	if path == "" {
		return "(top level)"
	}
	return strings.TrimPrefix(path, ".")
}

func keysInOrder[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
