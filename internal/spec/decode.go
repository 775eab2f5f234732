package spec

import (
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// String is a scalar with the position it was written at. Its zero value
// means the key was absent.
type String struct {
	Value string
	Pos   Pos
}

// Set reports whether the value was written in the file.
func (s String) Set() bool { return s.Pos.Line > 0 }

// Bool is a boolean with its position.
type Bool struct {
	Value bool
	Pos   Pos
}

// Int is an integer with its position.
type Int struct {
	Value int
	Pos   Pos
}

// Map is a YAML mapping whose order and key positions are kept.
type Map[T any] struct {
	Entries []Entry[T]
	Pos     Pos
}

// Entry is one key and value of a Map.
type Entry[T any] struct {
	Key   String
	Value T
}

// Len returns the number of entries.
func (m Map[T]) Len() int { return len(m.Entries) }

// nodeDecoder is implemented by types that decode a YAML node themselves.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node)
}

// scalarShorthand is implemented by mappings that may also be written as a
// single scalar, such as a field written as its type.
type scalarShorthand interface {
	fromScalar(s String)
}

// decoder turns YAML nodes into the syntax structs of this package, reporting
// every unknown key and wrong kind of value instead of stopping at the first.
type decoder struct {
	file  string
	diags Diagnostics
}

func (d *decoder) pos(n *yaml.Node) Pos {
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) errorf(p Pos, format string, args ...any) {
	d.diags = append(d.diags, Diagnostic{Pos: p, Message: fmt.Sprintf(format, args...)})
}

var (
	stringType = reflect.TypeFor[String]()
	boolType   = reflect.TypeFor[Bool]()
	intType    = reflect.TypeFor[Int]()
	posType    = reflect.TypeFor[Pos]()
)

// decode fills v, which must be addressable, from n.
func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	n = resolve(n)
	if dec, ok := v.Addr().Interface().(nodeDecoder); ok {
		dec.decodeNode(d, n)
		return
	}
	switch t := v.Type(); {
	case t == stringType:
		d.decodeString(n, v)
	case t == boolType:
		d.decodeBool(n, v)
	case t == intType:
		d.decodeInt(n, v)
	case t.Kind() == reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		d.decode(n, v.Elem())
	case t.Kind() == reflect.Slice:
		d.decodeSlice(n, v)
	case t.Kind() == reflect.Struct:
		d.decodeStruct(n, v)
	default:
		panic(fmt.Sprintf("spec: cannot decode into %s", t))
	}
}

// resolve follows aliases and unwraps a document node.
func resolve(n *yaml.Node) *yaml.Node {
	for range 100 {
		switch {
		case n.Kind == yaml.AliasNode && n.Alias != nil:
			n = n.Alias
		case n.Kind == yaml.DocumentNode && len(n.Content) == 1:
			n = n.Content[0]
		default:
			return n
		}
	}
	return n
}

func (d *decoder) decodeString(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(d.pos(n), "expected a string, got %s", describe(n))
		return
	}
	v.Set(reflect.ValueOf(String{Value: n.Value, Pos: d.pos(n)}))
}

func (d *decoder) decodeBool(n *yaml.Node, v reflect.Value) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		d.errorf(d.pos(n), "expected true or false, got %s", describe(n))
		return
	}
	v.Set(reflect.ValueOf(Bool{Value: b, Pos: d.pos(n)}))
}

func (d *decoder) decodeInt(n *yaml.Node, v reflect.Value) {
	var i int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil {
		d.errorf(d.pos(n), "expected an integer, got %s", describe(n))
		return
	}
	v.Set(reflect.ValueOf(Int{Value: i, Pos: d.pos(n)}))
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(d.pos(n), "expected a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i))
	}
	v.Set(s)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		if sh, ok := v.Addr().Interface().(scalarShorthand); ok {
			sh.fromScalar(String{Value: n.Value, Pos: d.pos(n)})
			return
		}
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(d.pos(n), "expected a mapping, got %s", describe(n))
		return
	}
	fields := fieldsOf(v.Type())
	if i, ok := fields.posIndex(); ok {
		v.Field(i).Set(reflect.ValueOf(d.pos(n)))
	}
	seen := map[string]bool{}
	for k := 0; k+1 < len(n.Content); k += 2 {
		d.decodeKey(n.Content[k], n.Content[k+1], v, fields, seen)
	}
	for _, f := range fields {
		if f.required && !seen[f.key] {
			d.errorf(d.pos(n), "missing required key %q", f.key)
		}
	}
}

func (d *decoder) decodeKey(kn, vn *yaml.Node, v reflect.Value, fields specFields, seen map[string]bool) {
	key := kn.Value
	f, ok := fields.byKey(key)
	switch {
	case !ok:
		d.errorf(d.pos(kn), "unknown key %q%s", key, didYouMean(key, fields.keys()))
	case seen[key]:
		d.errorf(d.pos(kn), "key %q is given twice", key)
	default:
		seen[key] = true
		d.decode(vn, v.Field(f.index))
	}
}

func (m *Map[T]) decodeNode(d *decoder, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.errorf(d.pos(n), "expected a mapping, got %s", describe(n))
		return
	}
	m.Pos = d.pos(n)
	first := map[string]Pos{}
	for k := 0; k+1 < len(n.Content); k += 2 {
		kn := resolve(n.Content[k])
		key := String{Value: kn.Value, Pos: d.pos(kn)}
		if kn.Kind != yaml.ScalarNode {
			d.errorf(key.Pos, "expected a name, got %s", describe(kn))
			continue
		}
		if p, dup := first[key.Value]; dup {
			d.errorf(key.Pos, "%q is declared twice (first at line %d)", key.Value, p.Line)
			continue
		}
		first[key.Value] = key.Pos
		e := Entry[T]{Key: key}
		d.decode(n.Content[k+1], reflect.ValueOf(&e.Value).Elem())
		m.Entries = append(m.Entries, e)
	}
}

// describe names the kind of a node for error messages.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Tag == "!!null":
		return "nothing"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unsupported value"
}

// specField is one key a syntax struct accepts, read from its `spec` tag:
// `spec:"key"` or `spec:"key,required"`. A field of type Pos receives the
// position of the mapping itself.
type specField struct {
	key      string
	index    int
	required bool
	doc      string
}

type specFields []specField

func fieldsOf(t reflect.Type) specFields {
	var fs specFields
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Type == posType {
			fs = append(fs, specField{key: "", index: i})
			continue
		}
		tag, ok := sf.Tag.Lookup("spec")
		if !ok {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		fs = append(fs, specField{
			key:      key,
			index:    i,
			required: opts == "required",
			doc:      sf.Tag.Get("doc"),
		})
	}
	return fs
}

func (fs specFields) posIndex() (int, bool) {
	for _, f := range fs {
		if f.key == "" {
			return f.index, true
		}
	}
	return 0, false
}

func (fs specFields) byKey(key string) (specField, bool) {
	for _, f := range fs {
		if f.key == key && key != "" {
			return f, true
		}
	}
	return specField{}, false
}

func (fs specFields) keys() []string {
	var ks []string
	for _, f := range fs {
		if f.key != "" {
			ks = append(ks, f.key)
		}
	}
	return ks
}
