package spec

import (
	"cmp"
	"regexp"
	"slices"

	"github.com/capgen/capgen/internal/model"
)

var capabilityName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// vocabulary is the parsed capabilities.yaml.
type vocabulary struct {
	byName map[string]string
	names  []string
}

func parseVocabulary(src Source) (vocabulary, Diagnostics) {
	var f vocabularyFile
	diags := parseNode(src, &f)
	v := vocabulary{byName: map[string]string{}}
	for _, e := range f.Capabilities.Entries {
		if !capabilityName.MatchString(e.Key.Value) {
			diags = append(diags, Diagnostic{Pos: e.Key.Pos, Message: "capability name " +
				quote(e.Key.Value) + " must be <object>.<action> in lower case"})
		}
		v.byName[e.Key.Value] = e.Value.Description.Value
		v.names = append(v.names, e.Key.Value)
	}
	slices.Sort(v.names)
	return v, diags
}

func (v vocabulary) entries() []model.VocabularyEntry {
	out := make([]model.VocabularyEntry, 0, len(v.names))
	for _, n := range v.names {
		out = append(out, model.VocabularyEntry{Name: n, Description: v.byName[n]})
	}
	slices.SortFunc(out, func(a, b model.VocabularyEntry) int { return cmp.Compare(a.Name, b.Name) })
	return out
}
