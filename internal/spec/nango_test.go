package spec_test

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/capgen/capgen/internal/spec"
)

// nangoProviders is the largest public catalogue of OAuth configurations,
// kept beside the repository; its licence keeps its entries out of it.
const nangoProviders = "../../../shared/data/raw/nango-providers.yaml"

// nangoMinimum is how many of the catalogue's 293 OAuth2 entries the auth
// section must express: 95%.
const nangoMinimum = 277

// TestNangoOAuth2Expressible converts the auth fields of every OAuth2 entry
// of the Nango catalogue into an auth section, wraps it in a minimal provider
// spec and loads it. An entry counts as expressible only when every field
// that changes the authorization flow has a counterpart; the rest are logged,
// grouped by the field that has none.
func TestNangoOAuth2Expressible(t *testing.T) {
	data, err := os.ReadFile(nangoProviders)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("skipping: %s not found (the shared data directory lives beside the repository)",
			nangoProviders)
	}
	if err != nil {
		t.Fatal(err)
	}
	var catalogue map[string]any
	if err := yaml.Unmarshal(data, &catalogue); err != nil {
		t.Fatalf("%s: %v", nangoProviders, err)
	}

	total, expressible := 0, 0
	reasons := map[string][]string{}
	for _, name := range slices.Sorted(maps.Keys(catalogue)) {
		entry, ok := catalogue[name].(map[string]any)
		if !ok || entry["auth_mode"] != "OAUTH2" {
			continue
		}
		total++
		why := expressNango(t, name, entry)
		if len(why) == 0 {
			expressible++
		}
		for _, r := range why {
			reasons[r] = append(reasons[r], name)
		}
	}

	t.Logf("expressible: %d of %d OAuth2 entries (%.1f%%)", expressible, total,
		100*float64(expressible)/float64(max(total, 1)))
	t.Log(reasonTable(reasons))
	if expressible < nangoMinimum {
		t.Errorf("only %d of %d OAuth2 entries are expressible, want at least %d",
			expressible, total, nangoMinimum)
	}
}

// expressNango returns why an entry cannot be expressed, or nothing when its
// converted spec loads and keeps its URLs.
func expressNango(t *testing.T, name string, entry map[string]any) []string {
	t.Helper()
	auth, why := convertNango(entry)
	if len(why) > 0 {
		return why
	}
	src := spec.Source{Path: "providers/" + name + ".yaml", Data: minimalSpec(t, name, auth)}
	cat, diags := spec.Load(nangoVocabulary, []spec.Source{src})
	if cat == nil {
		var msgs []string
		for _, d := range diags {
			if !d.Warning {
				msgs = append(msgs, "rejected by the loader: "+d.Message)
			}
		}
		return msgs
	}
	got := cat.Providers[0].Auth
	if got.AuthorizeURL != auth.AuthorizeURL || got.TokenURL != auth.TokenURL {
		t.Errorf("%s: the loader changed the URLs: got %s and %s, want %s and %s", name,
			got.AuthorizeURL, got.TokenURL, auth.AuthorizeURL, auth.TokenURL)
	}
	return nil
}

var nangoVocabulary = spec.Source{Path: "capabilities.yaml", Data: []byte(`capabilities:
  contact.read:
    description: Read contacts.
`)}

// nangoAuth is capgen's auth section as the conversion fills it.
type nangoAuth struct {
	AuthorizeURL        string            `yaml:"authorize_url"`
	TokenURL            string            `yaml:"token_url"`
	RefreshURL          string            `yaml:"refresh_url,omitempty"`
	PlaceholderDefaults map[string]string `yaml:"placeholder_defaults,omitempty"`
	ScopeSeparator      string            `yaml:"scope_separator,omitempty"`
	DefaultScopes       []string          `yaml:"default_scopes,omitempty"`
	Params              map[string]string `yaml:"params,omitempty"`
	ParamNames          map[string]string `yaml:"param_names,omitempty"`
	OmitEmpty           bool              `yaml:"omit_empty,omitempty"`
	Nonce               bool              `yaml:"nonce,omitempty"`
	CodeParam           string            `yaml:"code_param,omitempty"`
	PKCE                string            `yaml:"pkce"`
	ClientAuth          string            `yaml:"client_auth,omitempty"`
	TokenRequestFormat  string            `yaml:"token_request_format,omitempty"`
	TokenParams         map[string]string `yaml:"token_params,omitempty"`
	RefreshParams       map[string]string `yaml:"refresh_params,omitempty"`
}

// minimalSpec wraps an auth section in the smallest provider spec that
// loads: one scope, one capability, one operation.
func minimalSpec(t *testing.T, name string, auth nangoAuth) []byte {
	t.Helper()
	scopes := map[string]any{"example.read": map[string]string{"description": "Read."}}
	for _, s := range auth.DefaultScopes {
		scopes[s] = map[string]string{"description": "Asked for every time."}
	}
	doc := map[string]any{
		"provider": providerNameOf(name),
		"base_url": "https://api.example.com",
		"auth":     map[string]any{"oauth2": auth},
		"scopes":   scopes,
		"capabilities": map[string]any{"contact.read": map[string]any{
			"any_of": [][]string{{"example.read"}}}},
		"operations": map[string]any{"ListContacts": map[string]string{
			"method": "GET", "path": "/contacts", "capability": "contact.read"}},
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func providerNameOf(name string) string {
	clean := regexp.MustCompile(`[^a-z0-9]`).ReplaceAllString(strings.ToLower(name), "")
	if clean == "" || clean[0] < 'a' {
		clean = "p" + clean
	}
	return clean
}

// nangoIgnored are entry fields that do not change the authorization flow:
// documentation, the API proxy (the base URL, not auth), the description of
// the values a connection supplies for placeholders, values recorded from
// responses for later API calls, Nango's own scripts and webhooks, and when
// Nango refreshes a token ahead of its expiry.
var nangoIgnored = map[string]bool{
	"display_name": true, "categories": true, "docs": true, "docs_connect": true,
	"setup_guide_url": true, "auth_mode": true, "proxy": true,
	"connection_config": true, "connection_configuration": true,
	"token_response_metadata": true, "refresh_token_response_metadata": true,
	"redirect_uri_metadata":  true,
	"post_connection_script": true, "pre_connection_deletion_script": true,
	"webhook_routing_script": true, "webhook_user_defined_secret": true,
	"webhook_allowed_query_params": true, "webhook_response_metadata": true,
	"token_expiration_buffer": true,
}

// nangoUnsupported are the fields with no counterpart in the auth section,
// with what they do.
var nangoUnsupported = map[string]string{
	"authorization_url_fragment": "the authorization query goes inside a URL fragment",
	"decode_url":                 "the authorization URL is sent percent-decoded",
	"alternate_access_token_response_path": "the access token sits in a nested object of the " +
		"token response",
	"installation":                        "the code comes by webhook after an app installation",
	"authorization_code_param_in_webhook": "the code comes by webhook after an app installation",
}

// nangoConversion converts one entry, collecting why it cannot be expressed.
type nangoConversion struct {
	entry map[string]any
	out   nangoAuth
	why   []string
}

func convertNango(entry map[string]any) (nangoAuth, []string) {
	c := &nangoConversion{entry: entry, out: nangoAuth{PKCE: "supported"}}
	if _, ok := entry["authorization_url"]; !ok {
		c.fail("no authorization URL: the flow does not start with a redirect")
	}
	for _, key := range slices.Sorted(maps.Keys(entry)) {
		convert, known := nangoFields[key]
		switch {
		case nangoIgnored[key]:
		case known:
			convert(c, entry[key])
		case nangoUnsupported[key] != "":
			c.fail(key + ": " + nangoUnsupported[key])
		default:
			c.fail(key + ": unknown field")
		}
	}
	slices.Sort(c.why)
	return c.out, slices.Compact(c.why)
}

func (c *nangoConversion) fail(reason string) { c.why = append(c.why, reason) }

// nangoFields converts each field that has a counterpart in the auth section.
// Nango uses PKCE unless disable_pkce is set, so the conversion starts from
// pkce: supported.
var nangoFields = map[string]func(c *nangoConversion, v any){
	"authorization_url": func(c *nangoConversion, v any) {
		c.out.AuthorizeURL = c.url("authorization_url", v)
	},
	"token_url": (*nangoConversion).tokenURL,
	"refresh_url": func(c *nangoConversion, v any) {
		c.out.RefreshURL = c.url("refresh_url", v)
	},
	"scope_separator": (*nangoConversion).scopeSeparator,
	"authorization_url_skip_encode": func(c *nangoConversion, v any) {
		if !c.plusMeansSpace() {
			c.fail("authorization_url_skip_encode: a parameter is sent unencoded")
		}
	},
	"disable_pkce": func(c *nangoConversion, v any) {
		if v == true {
			c.out.PKCE = "unsupported"
		}
	},
	"token_request_auth_method": (*nangoConversion).clientAuth,
	"authorization_method":      (*nangoConversion).clientAuth,
	"body_format": func(c *nangoConversion, v any) {
		c.out.TokenRequestFormat = textOf(v)
	},
	"default_scopes": func(c *nangoConversion, v any) {
		for _, s := range textsOf(v) {
			c.out.DefaultScopes = appendOnce(c.out.DefaultScopes, s)
		}
	},
	"authorization_params": (*nangoConversion).authorizationParams,
	"token_params": func(c *nangoConversion, v any) {
		c.tokenParams(v, "authorization_code", &c.out.TokenParams)
	},
	"refresh_params": func(c *nangoConversion, v any) {
		c.tokenParams(v, "refresh_token", &c.out.RefreshParams)
	},
	"refresh_token_params": func(c *nangoConversion, v any) {
		c.tokenParams(v, "refresh_token", &c.out.RefreshParams)
	},
	"auth":                           (*nangoConversion).authDefaults,
	"authorization_url_replacements": (*nangoConversion).replacements,
	"authorization_url_skip_empty": func(c *nangoConversion, v any) {
		c.out.OmitEmpty = v == true
	},
	"authorization_code_param_in_callback": func(c *nangoConversion, v any) {
		c.out.CodeParam = textOf(v)
	},
}

// tokenURL takes a string, or from an object keyed by grant type the URL of
// the OAuth2 grant (the others belong to other kinds of authorization).
func (c *nangoConversion) tokenURL(v any) {
	if m, ok := v.(map[string]any); ok {
		if v, ok = m["OAUTH2"]; !ok {
			c.fail("token_url: one URL per grant type, none for OAuth2")
			return
		}
	}
	c.out.TokenURL = c.url("token_url", v)
}

// plusMeansSpace reports the one skip_encode entry whose effect the auth
// section has: scopes joined by a literal "+" are, in a query string, scopes
// joined by spaces, which is what an encoded " " separator sends.
func (c *nangoConversion) plusMeansSpace() bool {
	skip := textsOf(c.entry["authorization_url_skip_encode"])
	return c.entry["scope_separator"] == "+" && slices.Equal(skip, []string{"scopes"})
}

func (c *nangoConversion) scopeSeparator(v any) {
	c.out.ScopeSeparator = textOf(v)
	if c.plusMeansSpace() {
		c.out.ScopeSeparator = " "
	}
}

func (c *nangoConversion) clientAuth(v any) {
	auth := map[string]string{"basic": "basic", "header": "basic", "body": "body"}[textOf(v)]
	switch {
	case auth == "":
		c.fail(fmt.Sprintf("client authentication %q", textOf(v)))
	case c.out.ClientAuth != "" && c.out.ClientAuth != auth:
		c.fail("token_request_auth_method and authorization_method disagree")
	default:
		c.out.ClientAuth = auth
	}
}

// authorizationParams sorts Nango's fixed parameters into the auth section:
// response_type=code is what every request sends anyway, a random nonce is
// nonce: true, and a fixed scope parameter is a default scope.
func (c *nangoConversion) authorizationParams(v any) {
	for key, value := range pairsOf(v) {
		switch {
		case key == "response_type" && value == "code":
		case key == "nonce" && value == "${random}":
			c.out.Nonce = true
		case key == "scope":
			c.out.DefaultScopes = appendOnce(c.out.DefaultScopes, value)
		default:
			c.out.Params = setParam(c.out.Params, key, c.template("authorization_params", value))
		}
	}
}

// tokenParams converts token or refresh parameters; the standard grant type
// is what the runtime sends anyway.
func (c *nangoConversion) tokenParams(v any, grant string, into *map[string]string) {
	for key, value := range pairsOf(v) {
		if key != "grant_type" || value != grant {
			*into = setParam(*into, key, c.template("token_params", value))
		}
	}
}

func (c *nangoConversion) authDefaults(v any) {
	for key, value := range pairsOf(v) {
		if key != "response_type" || value != "code" {
			c.fail("auth: " + key + " other than the standard value")
		}
	}
}

// replacements are Nango's renames of standard query parameters, written
// with or without their "=".
func (c *nangoConversion) replacements(v any) {
	for from, to := range pairsOf(v) {
		from, to = strings.TrimSuffix(from, "="), strings.TrimSuffix(to, "=")
		c.out.ParamNames = setParam(c.out.ParamNames, from, to)
	}
}

// url converts a templated URL. "A || B" means B when the connection lacks
// A's placeholders; it becomes A with placeholder_defaults when B is A with
// its placeholders filled in.
func (c *nangoConversion) url(key string, v any) string {
	first, fallback, hasFallback := strings.Cut(textOf(v), " || ")
	templ := c.template(key, first)
	if !hasFallback {
		return templ
	}
	defaults, ok := defaultsOf(templ, fallback)
	if !ok {
		c.fail(key + ": a fallback URL (||) that placeholder defaults cannot express")
		return templ
	}
	for name, value := range defaults {
		if old, set := c.out.PlaceholderDefaults[name]; set && old != value {
			c.fail(key + ": fallback URLs with different defaults for one placeholder")
		}
		c.out.PlaceholderDefaults = setParam(c.out.PlaceholderDefaults, name, value)
	}
	return templ
}

var (
	nangoPlaceholder  = regexp.MustCompile(`\$\{connectionConfig\.([^}]+)\}`)
	capgenPlaceholder = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	nonName           = regexp.MustCompile(`[^A-Za-z0-9_]`)
)

// template turns ${connectionConfig.name} into {name}, with the characters
// a placeholder name cannot hold made underscores.
func (c *nangoConversion) template(key, s string) string {
	out := nangoPlaceholder.ReplaceAllStringFunc(s, func(m string) string {
		return "{" + nonName.ReplaceAllString(nangoPlaceholder.FindStringSubmatch(m)[1], "_") + "}"
	})
	if strings.Contains(out, "${") {
		c.fail(key + ": a placeholder that is not a connection value")
	}
	return out
}

// defaultsOf matches a plain URL against a templated one and returns what
// each placeholder stands for in it.
func defaultsOf(templ, plain string) (map[string]string, bool) {
	if strings.Contains(plain, "$") {
		return nil, false
	}
	var pattern strings.Builder
	var names []string
	last := 0
	for _, m := range capgenPlaceholder.FindAllStringSubmatchIndex(templ, -1) {
		pattern.WriteString(regexp.QuoteMeta(templ[last:m[0]]) + `([^/?#]+)`)
		names = append(names, templ[m[2]:m[3]])
		last = m[1]
	}
	pattern.WriteString(regexp.QuoteMeta(templ[last:]))
	found := regexp.MustCompile("^" + pattern.String() + "$").FindStringSubmatch(plain)
	if found == nil || len(names) == 0 {
		return nil, false
	}
	out := map[string]string{}
	for i, name := range names {
		if old, ok := out[name]; ok && old != found[i+1] {
			return nil, false
		}
		out[name] = found[i+1]
	}
	return out, true
}

// reasonTable lays out the reasons, most frequent first, with the entries
// each one stops.
func reasonTable(reasons map[string][]string) string {
	keys := slices.SortedFunc(maps.Keys(reasons), func(a, b string) int {
		if d := len(reasons[b]) - len(reasons[a]); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	var b strings.Builder
	fmt.Fprintf(&b, "not expressible, by reason:\n%7s  %s\n", "entries", "reason (entries)")
	for _, k := range keys {
		fmt.Fprintf(&b, "%7d  %s (%s)\n", len(reasons[k]), k, strings.Join(reasons[k], ", "))
	}
	return b.String()
}

func textOf(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func textsOf(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, item := range items {
		out = append(out, textOf(item))
	}
	return out
}

// pairsOf returns a mapping's keys in order and its values as text.
func pairsOf(v any) iter.Seq2[string, string] {
	m, _ := v.(map[string]any)
	return func(yield func(string, string) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, textOf(m[k])) {
				return
			}
		}
	}
}

func setParam(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
