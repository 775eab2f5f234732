package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// SchemaURI is the JSON Schema dialect of Schema's output.
const SchemaURI = "https://json-schema.org/draft/2020-12/schema"

// Schema returns the JSON Schema (draft 2020-12) of a provider spec file,
// derived from the syntax structs the loader decodes into, so that an editor
// knows exactly the keys the loader knows. The schema of capabilities.yaml is
// its definition vocabularyFile. Equal builds give identical bytes.
//
// The schema checks shape only: key names, kinds of value and required keys.
// What the loader checks beyond that (declared scopes, URLs, allowed words)
// is left to capgen check.
func Schema() ([]byte, error) {
	b := &schemaBuilder{defs: map[string]jsonObject{}, types: map[string]reflect.Type{}}
	root, err := b.structSchema(reflect.TypeFor[providerFile]())
	if err != nil {
		return nil, err
	}
	if _, err := b.schemaOf(reflect.TypeFor[vocabularyFile]()); err != nil {
		return nil, err
	}
	head := jsonObject{
		{"$schema", SchemaURI},
		{"title", "capgen provider spec"},
		{"description", "A providers/<name>.yaml file of a capgen catalogue; " +
			"see docs/spec.md. capabilities.yaml follows $defs/vocabularyFile."},
	}
	doc := append(head, root...)
	doc = append(doc, jsonMember{"$defs", b.sortedDefs()})
	return marshalIndent(doc)
}

// jsonObject is a JSON object that keeps its keys in the order given, so that
// properties read in the order the syntax structs declare them.
type jsonObject []jsonMember

type jsonMember struct {
	Key   string
	Value any
}

// MarshalJSON writes the members in order.
func (o jsonObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, err := marshalPlain(m.Key)
		if err != nil {
			return nil, err
		}
		value, err := marshalPlain(m.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(value)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalPlain encodes v without escaping <, > and &, which descriptions
// may hold and which a schema file has no reason to hide.
func marshalPlain(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schemaBuilder collects one definition per syntax struct.
type schemaBuilder struct {
	defs  map[string]jsonObject
	types map[string]reflect.Type
}

var (
	nodeDecoderType = reflect.TypeFor[nodeDecoder]()
	shorthandType   = reflect.TypeFor[scalarShorthand]()
)

// scalarDef is the definition every String refers to: the loader takes the
// text of any scalar, so 42 and true are as good as "42" and "true".
const scalarDef = "scalar"

func (b *schemaBuilder) scalar() jsonObject {
	if _, ok := b.defs[scalarDef]; !ok {
		b.types[scalarDef] = stringType
		b.defs[scalarDef] = jsonObject{
			{"description", "a YAML scalar, read as its text"},
			{"type", []string{"string", "number", "boolean"}},
		}
	}
	return jsonObject{{"$ref", "#/$defs/" + scalarDef}}
}

// schemaOf returns the schema of one syntax type, defining structs in $defs.
func (b *schemaBuilder) schemaOf(t reflect.Type) (jsonObject, error) {
	if elem, ok := mapValueType(t); ok {
		values, err := b.schemaOf(elem)
		return jsonObject{{"type", "object"}, {"additionalProperties", values}}, err
	}
	switch {
	case t == stringType:
		return b.scalar(), nil
	case t == boolType:
		return jsonObject{{"type", "boolean"}}, nil
	case t == intType:
		return jsonObject{{"type", "integer"}}, nil
	case t.Kind() == reflect.Pointer:
		return b.schemaOf(t.Elem())
	case t.Kind() == reflect.Slice:
		items, err := b.schemaOf(t.Elem())
		return jsonObject{{"type", "array"}, {"items", items}}, err
	case t.Kind() == reflect.Struct:
		return b.define(t)
	}
	return nil, fmt.Errorf("spec: no JSON Schema for %s", t)
}

// mapValueType reports whether t is a Map and returns the type of its values.
func mapValueType(t reflect.Type) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct || !reflect.PointerTo(t).Implements(nodeDecoderType) {
		return nil, false
	}
	entries, ok := t.FieldByName("Entries")
	if !ok || entries.Type.Kind() != reflect.Slice {
		return nil, false
	}
	value, ok := entries.Type.Elem().FieldByName("Value")
	return value.Type, ok
}

// define adds a struct's definition, once, and returns a reference to it.
func (b *schemaBuilder) define(t reflect.Type) (jsonObject, error) {
	name := strings.TrimSuffix(t.Name(), "Syntax")
	ref := jsonObject{{"$ref", "#/$defs/" + name}}
	if prev, ok := b.types[name]; ok {
		if prev != t {
			return nil, fmt.Errorf("spec: %s and %s both define %s in the JSON Schema", prev, t, name)
		}
		return ref, nil
	}
	b.types[name] = t
	def, err := b.structSchema(t)
	if err != nil {
		return nil, err
	}
	if reflect.PointerTo(t).Implements(shorthandType) {
		def = jsonObject{{"oneOf", []jsonObject{b.scalar(), def}}}
	}
	b.defs[name] = def
	return ref, nil
}

// structSchema is the object schema of a syntax struct: its spec-tagged
// fields in declaration order, described by their doc tags. A field with an
// enum tag (`enum:"basic body"`) takes one of those words.
func (b *schemaBuilder) structSchema(t reflect.Type) (jsonObject, error) {
	props := jsonObject{}
	required := []string{}
	for _, f := range fieldsOf(t) {
		if f.key == "" {
			continue
		}
		sf := t.Field(f.index)
		s, err := b.schemaOf(sf.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.Name(), sf.Name, err)
		}
		if words := strings.Fields(sf.Tag.Get("enum")); len(words) > 0 {
			s = jsonObject{{"enum", words}}
		}
		if f.doc != "" {
			s = append(jsonObject{{"description", f.doc}}, s...)
		}
		props = append(props, jsonMember{f.key, s})
		if f.required {
			required = append(required, f.key)
		}
	}
	out := jsonObject{{"type", "object"}, {"properties", props}}
	if len(required) > 0 {
		out = append(out, jsonMember{"required", required})
	}
	return append(out, jsonMember{"additionalProperties", false}), nil
}

func (b *schemaBuilder) sortedDefs() jsonObject {
	var out jsonObject
	for _, n := range slices.Sorted(maps.Keys(b.defs)) {
		out = append(out, jsonMember{n, b.defs[n]})
	}
	return out
}
