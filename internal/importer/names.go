package importer

import (
	"cmp"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// nameOperations makes the operations' names unique: in path, then method
// order, a name already taken gets the smallest free number from 2 on.
func nameOperations(ops []*operation) {
	sorted := slices.Clone(ops)
	slices.SortStableFunc(sorted, func(x, y *operation) int {
		return cmp.Or(cmp.Compare(x.path, y.path), cmp.Compare(x.method, y.method))
	})
	names := newNameSet()
	for _, op := range sorted {
		op.name = names.unique(op.name)
	}
}

// pathName names an operation that has no operationId from its method and
// path: GET /pets/{petId} -> GetPetsByPetID.
func pathName(method, path string) string {
	words := []string{strings.ToLower(method)}
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, "{") {
			words = append(words, "by")
		}
		words = append(words, seg)
	}
	return exported(strings.Join(words, " "))
}

// discoveryName names a Discovery method from its id: the verb, then the
// resources without the API name; the innermost resource is singular unless
// the verb is list. drive.files.list -> ListFiles, drive.files.get -> GetFile.
func discoveryName(id string) string {
	parts := strings.Split(id, ".")
	if len(parts) > 1 {
		parts = parts[1:]
	}
	verb, resources := parts[len(parts)-1], slices.Clone(parts[:len(parts)-1])
	if n := len(resources); n > 0 && verb != "list" {
		resources[n-1] = singular(resources[n-1])
	}
	return exported(verb) + exported(strings.Join(resources, " "))
}

// singular returns an English plural's singular, by its ending only:
// files -> file, companies -> company, addresses -> address.
func singular(w string) string {
	lower := strings.ToLower(w)
	switch {
	case strings.HasSuffix(lower, "ies") && len(w) > 3:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return w[:len(w)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"),
		strings.HasSuffix(lower, "is"):
		return w
	case strings.HasSuffix(lower, "s") && len(w) > 1:
		return w[:len(w)-1]
	}
	return w
}

var versionSegment = regexp.MustCompile(`^v[0-9]+([._][0-9a-z]+)*$`)

// pathResources returns the resources of an OpenAPI path, outermost first:
// the segments that are not parameters or versions, each cut at its first
// dot or colon. /v4/spreadsheets/{id}/values:batchGet -> spreadsheets values;
// /chat.postMessage -> chat.
func pathResources(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, "/") {
		if i := strings.IndexAny(seg, ".:"); i >= 0 {
			seg = seg[:i]
		}
		if seg == "" || strings.HasPrefix(seg, "{") || versionSegment.MatchString(seg) {
			continue
		}
		out = append(out, seg)
	}
	return out
}

// synonyms maps resource names, made singular and lower case, to vocabulary
// objects whose names differ from them.
var synonyms = map[string]string{
	"chat":         "message",
	"conversation": "channel",
	"people":       "contact",
	"person":       "contact",
	"organization": "company",
	"repo":         "repository",
	"calendar":     "event",
	"sheet":        "spreadsheet",
}

// vocabulary is the set of capabilities a draft may suggest, and the
// objects they act on.
type vocabulary struct {
	capabilities map[string]bool
	objects      map[string]bool
	overrides    map[string]string
}

func newVocabulary(names []string, overrides map[string]string) vocabulary {
	v := vocabulary{capabilities: map[string]bool{}, objects: map[string]bool{},
		overrides: maps.Clone(overrides)}
	for _, n := range names {
		v.capabilities[n] = true
		object, _, _ := strings.Cut(n, ".")
		v.objects[object] = true
	}
	return v
}

// object returns the vocabulary object a resource maps to.
func (v vocabulary) object(resource string) (string, bool) {
	if o, ok := v.overrides[resource]; ok {
		return o, true
	}
	key := strings.ToLower(singular(resource))
	if o, ok := synonyms[key]; ok && v.objects[o] {
		return o, true
	}
	return key, v.objects[key]
}

// capability returns the capability an operation suggests, and whether it
// is in the vocabulary. Without one, it returns a placeholder named after
// the operation's innermost resource.
func (v vocabulary) capability(op *operation) (string, bool) {
	action := "write"
	if op.method == "GET" {
		action = "read"
	}
	for _, r := range slices.Backward(op.resources) {
		if object, ok := v.object(r); ok {
			name := object + "." + action
			return name, v.capabilities[name]
		}
	}
	object := "api"
	if n := len(op.resources); n > 0 {
		object = placeholderObject(op.resources[n-1])
	}
	return object + "." + action, false
}

// placeholderObject turns a resource name into a valid capability object:
// lower-case letters, digits and underscores, starting with a letter.
func placeholderObject(resource string) string {
	var b strings.Builder
	for _, w := range words(strings.ToLower(singular(resource))) {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(w)
	}
	s := b.String()
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "api" + s
	}
	return s
}

// words splits s at everything that is not a lower-case letter or a digit.
func words(s string) []string { return strings.FieldsFunc(s, notAlnum) }

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
