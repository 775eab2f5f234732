package sandbox

import (
	"cmp"
	"net/http"
	"strings"

	"github.com/capgen/capgen/internal/model"
)

// The failure kinds the simulator answers with, as the spec language names
// them.
const (
	kindExpired      = "expired"
	kindInvalid      = "invalid_credentials"
	kindMissingScope = "missing_scope"
	kindForbidden    = "forbidden"
)

// defaultStatus is the status of a failure whose rule names none.
var defaultStatus = map[string]int{
	kindExpired:      http.StatusUnauthorized,
	kindInvalid:      http.StatusUnauthorized,
	kindMissingScope: http.StatusForbidden,
	kindForbidden:    http.StatusForbidden,
}

// fallbackKind is the kind to answer with when a provider has no rule of a
// kind: GitHub answers an expired token like any bad one, and a provider
// that never names missing scopes refuses the call like any forbidden one.
var fallbackKind = map[string]string{
	kindExpired:      kindInvalid,
	kindMissingScope: kindForbidden,
}

// fallbackMessage fills a body that the rule leaves empty, so that every
// failure reads as one.
var fallbackMessage = map[string]string{
	kindExpired:      "The access token expired.",
	kindInvalid:      "The access token is not valid.",
	kindMissingScope: "The access token lacks a scope this call needs.",
	kindForbidden:    "The access token may not make this call.",
}

// nativeFailure is a failed response in the provider's own shape.
type nativeFailure struct {
	kind   string
	status int
	header http.Header
	body   any // a JSON object, or an array when the rule's paths start with an index
}

// failureRule returns the provider's first error rule of a kind, or of its
// fallback kind.
func failureRule(p *model.Provider, kind string) (model.ErrorRule, bool) {
	for _, r := range p.Errors {
		if r.Kind == kind {
			return r, true
		}
	}
	if next, ok := fallbackKind[kind]; ok {
		return failureRule(p, next)
	}
	return model.ErrorRule{}, false
}

// nativeFailureOf builds a response that the provider's first rule of a
// kind classifies, with the missing scopes where the rule reads them.
func nativeFailureOf(p *model.Provider, kind string, missing []string) nativeFailure {
	rule, ok := failureRule(p, kind)
	if !ok {
		rule = model.ErrorRule{Kind: kind}
	}
	f := nativeFailure{kind: rule.Kind, status: defaultStatus[rule.Kind], header: http.Header{}}
	if len(rule.Status) > 0 {
		f.status = rule.Status[0]
	}
	if rule.Missing != nil {
		f.putMissing(*rule.Missing, missing)
	}
	for _, pr := range rule.Header {
		f.satisfyHeader(pr)
	}
	for _, pr := range rule.Body {
		f.satisfyBody(pr)
	}
	if f.body == nil {
		f.body = map[string]any{"message": fallbackMessage[rule.Kind]}
	}
	return f
}

// putMissing writes the scope names where the rule reads them: in a header
// or a body path, joined with the rule's separator, inside the pattern's
// first group when there is one. A body path without separator or pattern
// gets a JSON array, which the runtime reads one name per element.
func (f *nativeFailure) putMissing(m model.MissingScopes, names []string) {
	if m.Header != "" {
		f.header.Set(m.Header, missingText(m, names, cmp.Or(m.Separator, ",")))
	}
	if m.Body == "" {
		return
	}
	var v any = missingText(m, names, m.Separator)
	if m.Separator == "" && m.Pattern == "" {
		v = anySlice(names)
	}
	f.body = setPath(f.body, splitPath(m.Body), v)
}

// missingText joins the names with the separator. With a pattern, the
// joined names fill its group; without a separator the runtime reads every
// match of the pattern, so each name gets a match of its own.
func missingText(m model.MissingScopes, names []string, sep string) string {
	if m.Pattern == "" {
		return strings.Join(names, sep)
	}
	if sep != "" {
		return fillPattern(m.Pattern, strings.Join(names, sep))
	}
	texts := make([]string, len(names))
	for i, n := range names {
		texts[i] = fillPattern(m.Pattern, n)
	}
	return strings.Join(texts, "; ")
}

func fillPattern(pattern, fill string) string {
	if text, ok := renderPattern(pattern, &fill); ok {
		return text
	}
	return fill
}

// satisfyHeader makes a header predicate hold, keeping what putMissing
// wrote when it can.
func (f *nativeFailure) satisfyHeader(p model.Predicate) {
	have := f.header.Get(p.Header)
	text, set := predicateText(p)
	switch {
	case !set:
		f.header.Del(p.Header)
	case p.Test == "present" && have != "":
	case p.Test == "contains" && have != "":
		f.header.Set(p.Header, mergeText(text, have, ", "))
	default:
		f.header.Set(p.Header, text)
	}
}

// satisfyBody makes a body predicate hold, keeping what putMissing wrote
// when it can.
func (f *nativeFailure) satisfyBody(p model.Predicate) {
	path := splitPath(p.Path)
	have, present := getPath(f.body, path)
	text, set := predicateText(p)
	haveText, isText := have.(string)
	switch {
	case !set, p.Test == "present" && present && have != nil:
	case p.Test == "contains" && isText && haveText != "":
		f.body = setPath(f.body, path, mergeText(text, haveText, " "))
	default:
		f.body = setPath(f.body, path, jsonScalar(text))
	}
}

// mergeText returns a text that contains both want and have, overlapping
// them where want ends the way have starts: "requires merchant approval
// for" and "approval for read_orders scope" read as one sentence.
func mergeText(want, have, sep string) string {
	if strings.Contains(have, want) {
		return have
	}
	for k := min(len(want), len(have)); k > 0; k-- {
		if strings.HasSuffix(want, have[:k]) {
			return want + have[k:]
		}
	}
	return want + sep + have
}

// predicateText is a value that passes the predicate's test; set is false
// for a test that wants the value absent.
func predicateText(p model.Predicate) (text string, set bool) {
	first := ""
	if len(p.Values) > 0 {
		first = p.Values[0]
	}
	switch p.Test {
	case "absent":
		return "", false
	case "present":
		return "sample", true
	case "matches":
		if text, ok := renderPattern(first, nil); ok {
			return text, true
		}
	}
	return first, true
}

// jsonScalar turns "true" and "false" into JSON booleans, as providers send
// them (Slack's "ok": false); the runtime compares either by its text.
func jsonScalar(text string) any {
	switch text {
	case "true":
		return true
	case "false":
		return false
	}
	return text
}
