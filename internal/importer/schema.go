package importer

import (
	"fmt"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/gonames"
)

// schema is the part of an OpenAPI or Discovery schema that decides a type.
// Both formats share these keys; they differ in how $ref names a schema.
type schema struct {
	Ref                  string      `yaml:"$ref"`
	Type                 typeNames   `yaml:"type"`
	Format               string      `yaml:"format"`
	Title                string      `yaml:"title"`
	Description          string      `yaml:"description"`
	Properties           schemaMap   `yaml:"properties"`
	Items                *items      `yaml:"items"`
	AdditionalProperties *additional `yaml:"additionalProperties"`
	AllOf                []*schema   `yaml:"allOf"`
	OneOf                []*schema   `yaml:"oneOf"`
	AnyOf                []*schema   `yaml:"anyOf"`
}

// typeNames is a schema's type: one name, or a list of them in OpenAPI 3.1.
type typeNames []string

// UnmarshalYAML reads a type name or a list of them.
func (t *typeNames) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = typeNames{n.Value}
		return nil
	}
	var list []string
	err := n.Decode(&list)
	*t = list
	return err
}

// primary returns the type that is not null, or "" when there is none.
func (t typeNames) primary() string {
	for _, name := range t {
		if name != "null" {
			return name
		}
	}
	return ""
}

// items is the schema of an array's elements. Some descriptions write a
// list of schemas to mean one of them or null; one schema besides null is
// read as that schema, more as unknown.
type items struct {
	schema *schema
}

// UnmarshalYAML reads a schema or a list of schemas.
func (it *items) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		it.schema = new(schema)
		return n.Decode(it.schema)
	}
	var list []*schema
	if err := n.Decode(&list); err != nil {
		return err
	}
	list = slices.DeleteFunc(list, func(s *schema) bool {
		return s == nil || s.Ref == "" && s.Type.primary() == "" && len(s.Type) > 0
	})
	if len(list) == 1 {
		it.schema = list[0]
	}
	return nil
}

// elem returns the element schema, nil when unknown.
func (it *items) elem() *schema {
	if it == nil {
		return nil
	}
	return it.schema
}

// additional is additionalProperties: a boolean or a schema.
type additional struct {
	schema *schema
}

// UnmarshalYAML reads a boolean, which allows any value, or a schema.
func (a *additional) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return nil
	}
	a.schema = new(schema)
	return n.Decode(a.schema)
}

// schemaMap is a mapping of names to schemas that keeps the written order,
// so that fields come out in the order the description gives them.
type schemaMap struct {
	keys  []string
	byKey map[string]*schema
}

// UnmarshalYAML reads a mapping, keeping its order.
func (m *schemaMap) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: properties must be a mapping", n.Line)
	}
	m.byKey = map[string]*schema{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		s := new(schema)
		if err := n.Content[i+1].Decode(s); err != nil {
			return err
		}
		if _, dup := m.byKey[key]; !dup {
			m.keys = append(m.keys, key)
		}
		m.byKey[key] = s
	}
	return nil
}

// typeDef is a type of the draft.
type typeDef struct {
	description string
	fields      []fieldDef
}

type fieldDef struct {
	json, typ, goName, description string
}

// typeBuilder turns schemas into the spec's type expressions, declaring a
// type for every object with properties it meets.
type typeBuilder struct {
	// lookup finds the schema a $ref names and the key it is declared under.
	lookup func(ref string) (key string, s *schema, ok bool)
	names  *nameSet
	// schemaNames holds the type name reserved for each named schema.
	schemaNames map[string]string
	schemaKeys  []string
	// byRef holds the type expression of every $ref resolved so far.
	byRef map[string]string
	// expanding holds the $refs being resolved, to stop at a cycle.
	expanding map[string]bool
	types     map[string]*typeDef
}

func newTypeBuilder(schemas map[string]*schema,
	lookup func(string) (string, *schema, bool)) *typeBuilder {
	return &typeBuilder{lookup: lookup, names: newNameSet(), schemaNames: map[string]string{},
		schemaKeys: sortedKeys(schemas), byRef: map[string]string{},
		expanding: map[string]bool{}, types: map[string]*typeDef{}}
}

// reserveSchemaNames gives every named schema its type name before any
// anonymous object is named, so that named schemas keep their own names.
func (b *typeBuilder) reserveSchemaNames() {
	for _, key := range b.schemaKeys {
		b.schemaNames[key] = b.names.unique(exported(key))
	}
}

// expr returns the type expression of s; hint names the type declared for
// an anonymous object.
func (b *typeBuilder) expr(s *schema, hint string) string {
	switch {
	case s == nil:
		return "any"
	case s.Ref != "":
		return b.ref(s.Ref)
	case len(s.OneOf)+len(s.AnyOf) > 0:
		return "any"
	case len(s.AllOf) == 1 && len(s.Properties.keys) == 0:
		return b.expr(s.AllOf[0], hint)
	}
	switch t := s.Type.primary(); t {
	case "string":
		if s.Format == "date-time" {
			return "time"
		}
		return "string"
	case "integer", "number", "boolean":
		return t
	case "array":
		return "[]" + b.expr(s.Items.elem(), hint+"Item")
	case "object", "":
		return b.object(s, hint)
	}
	return "any"
}

// object returns the type of an object schema: a declared type when it has
// properties, a map when it only has additional properties.
func (b *typeBuilder) object(s *schema, hint string) string {
	if props := b.properties(s, 0); len(props.keys) > 0 {
		name := b.names.unique(hint)
		b.define(name, s, props)
		return name
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.schema != nil {
		return "map[string]" + b.expr(s.AdditionalProperties.schema, hint+"Value")
	}
	if s.Type.primary() == "object" || s.AdditionalProperties != nil {
		return "map[string]any"
	}
	return "any"
}

// ref returns the type expression of a named schema: its declared type when
// it is an object with properties, the expression it stands for otherwise.
func (b *typeBuilder) ref(ref string) string {
	if e, ok := b.byRef[ref]; ok {
		return e
	}
	key, s, ok := b.lookup(ref)
	if !ok || b.expanding[ref] {
		return "any"
	}
	name := b.schemaNames[key]
	if props := b.properties(s, 0); len(props.keys) > 0 && len(s.OneOf)+len(s.AnyOf) == 0 {
		b.byRef[ref] = name
		b.define(name, s, props)
		return name
	}
	b.expanding[ref] = true
	e := b.expr(s, name)
	delete(b.expanding, ref)
	b.byRef[ref] = e
	return e
}

// properties returns the properties of s, with those of its allOf members
// after its own.
func (b *typeBuilder) properties(s *schema, depth int) schemaMap {
	out := schemaMap{byKey: map[string]*schema{}}
	if depth > 8 {
		return out
	}
	add := func(m schemaMap) {
		for _, k := range m.keys {
			if _, dup := out.byKey[k]; !dup {
				out.keys = append(out.keys, k)
				out.byKey[k] = m.byKey[k]
			}
		}
	}
	add(s.Properties)
	for _, member := range s.AllOf {
		if member.Ref != "" {
			if _, resolved, ok := b.lookup(member.Ref); ok {
				member = resolved
			}
		}
		add(b.properties(member, depth+1))
	}
	return out
}

// define declares the type name with a field for every property.
func (b *typeBuilder) define(name string, s *schema, props schemaMap) {
	t := &typeDef{description: cleanText(firstNonEmpty(s.Description, s.Title))}
	b.types[name] = t
	goNames := newNameSet()
	for _, key := range props.keys {
		p := props.byKey[key]
		f := fieldDef{json: key, description: cleanText(p.Description)}
		f.typ = b.expr(p, name+exported(key))
		if goName := exported(key); !goNames.claim(goName) {
			f.goName = goNames.unique(goName)
		}
		t.fields = append(t.fields, f)
	}
}

// nameSet hands out Go names that no one else holds.
type nameSet struct {
	taken map[string]bool
}

func newNameSet() *nameSet { return &nameSet{taken: map[string]bool{}} }

// claim takes name and reports whether it was free.
func (n *nameSet) claim(name string) bool {
	if n.taken[name] {
		return false
	}
	n.taken[name] = true
	return true
}

func (n *nameSet) claimAll(names []string) {
	for _, name := range names {
		n.claim(name)
	}
}

// unique takes base, or base with the smallest number from 2 on that is free.
func (n *nameSet) unique(base string) string {
	if n.claim(base) {
		return base
	}
	for i := 2; ; i++ {
		if name := base + strconv.Itoa(i); n.claim(name) {
			return name
		}
	}
}

// exported is the Go name of a spec name, as the validator derives it.
func exported(name string) string { return gonames.Exported(name) }

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
