// Package gonames derives Go identifiers from the names used in specs, the
// same way for the validator, which reports clashes, and the generator.
package gonames

import (
	"go/token"
	"strings"
	"unicode"
)

// initialisms are words written in capitals in Go names.
var initialisms = map[string]bool{
	"api": true, "id": true, "url": true, "uri": true, "http": true, "https": true,
	"json": true, "html": true, "ip": true, "oauth": true, "sql": true, "ssh": true, "ttl": true,
	"uid": true, "uuid": true, "jwt": true, "pkce": true, "gpg": true, "sha": true, "crm": true,
	"cc": true, "bcc": true,
}

// Exported turns a spec name such as "created_at", "createdAt", "html_url"
// or "contact.read" into an exported Go identifier: CreatedAt, HTMLURL,
// ContactRead. Names that yield no letters become "X" followed by the digits.
func Exported(name string) string {
	var b strings.Builder
	for _, w := range words(name) {
		lw := strings.ToLower(w)
		switch {
		case initialisms[lw]:
			b.WriteString(strings.ToUpper(lw))
		case len(lw) > 2 && strings.HasSuffix(lw, "s") && initialisms[lw[:len(lw)-1]]:
			// A plural initialism keeps its s in lower case: IDs, URLs.
			b.WriteString(strings.ToUpper(lw[:len(lw)-1]) + "s")
		default:
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	s := b.String()
	if s == "" || !unicode.IsLetter(rune(s[0])) {
		s = "X" + s
	}
	return s
}

// words splits a name at non-alphanumeric characters and at lower-to-upper
// case changes: "html_url" -> [html url], "createdAt" -> [created At],
// "userID" -> [user ID].
func words(name string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(name)
	for i, r := range runes {
		switch {
		case r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)):
			flush()
		case unicode.IsUpper(r) && i > 0 && unicode.IsLower(runes[i-1]):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// IsExported reports whether s is a valid exported Go identifier that is
// not a keyword.
func IsExported(s string) bool {
	return token.IsIdentifier(s) && token.IsExported(s)
}
