package manifest

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/capgen/capgen/templates"
)

// Kind classifies a change between two manifests. Changes sort by kind in
// declaration order, so that what a reviewer must weigh most comes first.
type Kind int

// The kinds of change, in the order a diff lists them.
const (
	// ProviderAdded is a provider the product now connects to. Its scopes
	// are asked of new connections only, so nothing re-consents.
	ProviderAdded Kind = iota
	// ProviderRemoved is a provider the product no longer connects to.
	ProviderRemoved
	// RequiredAdded is a scope every connection must now grant.
	RequiredAdded
	// RequiredRemoved is a scope no longer required: the request narrows.
	RequiredRemoved
	// OptionalAdded is a scope now asked for but not needed.
	OptionalAdded
	// OptionalRemoved is an optional scope no longer asked for.
	OptionalRemoved
	// DeprecatedRequested is a deprecated scope that is newly asked for,
	// or an asked scope that became deprecated.
	DeprecatedRequested
	// CapabilityAdded is a capability the provider now declares.
	CapabilityAdded
	// CapabilityRemoved is a capability the provider no longer declares.
	CapabilityRemoved
	// CapabilityChanged is a capability now satisfied by different scopes.
	CapabilityChanged
	// AuthorizationChanged is a changed setting of the authorization request.
	AuthorizationChanged
)

var kindNames = [...]string{
	ProviderAdded:        "provider added",
	ProviderRemoved:      "provider removed",
	RequiredAdded:        "required scope added",
	RequiredRemoved:      "required scope removed",
	OptionalAdded:        "optional scope added",
	OptionalRemoved:      "optional scope removed",
	DeprecatedRequested:  "deprecated scope requested",
	CapabilityAdded:      "capability added",
	CapabilityRemoved:    "capability removed",
	CapabilityChanged:    "capability satisfied by different scopes",
	AuthorizationChanged: "authorization changed",
}

// String returns the kind as a reviewer reads it: "required scope added".
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Change is one difference between two manifests, for one provider.
type Change struct {
	Provider string
	Kind     Kind
	// Name is the scope, the capability or the authorization setting
	// ("authorize_url", "params.prompt") that changed; empty for a
	// provider added or removed.
	Name string
	// Features are the features that ask for the scope or capability.
	Features []string
	// Before and After are the old and new values: a capability's scopes,
	// a provider's required scopes, or an authorization setting as one
	// element (none when unset).
	Before, After []string
	// ReplacedBy are the replacements of a deprecated scope.
	ReplacedBy []string
	// Reconsent is true when existing connections must authorize again
	// before the new code can use them.
	Reconsent bool
}

// Diff is what changed from one manifest to another, sorted by provider,
// then kind, then name.
type Diff struct {
	Changes []Change
}

// Empty reports whether nothing changed.
func (d Diff) Empty() bool { return len(d.Changes) == 0 }

// Reconsent reports whether any change forces existing connections to
// authorize again.
func (d Diff) Reconsent() bool {
	return slices.ContainsFunc(d.Changes, func(c Change) bool { return c.Reconsent })
}

// Compare returns the changes from old to new. A nil manifest counts as
// empty, so comparing against nil lists every provider as added.
//
// A provider added is reported with its scopes, each asked of new
// connections only (Reconsent false: no connection to it exists yet); its
// capabilities and authorization are not listed, as the report shows them.
// A provider removed is reported once. Feature definitions, titles, sources
// and the reasons of scopes whose status did not change are not compared:
// the diff is about what connections are asked to grant.
//
// Every scope newly required of an existing provider forces re-consent,
// even one implied by a scope those connections granted: the manifest does
// not record implications, so Compare cannot tell, and a reviewer can.
func Compare(old, new *Manifest) Diff {
	old, new = orEmpty(old), orEmpty(new)
	var d Diff
	for _, name := range sortedUnion(old.Providers, new.Providers) {
		op, inOld := old.Providers[name]
		np, inNew := new.Providers[name]
		switch {
		case !inOld:
			d.Changes = append(d.Changes, providerAdded(name, np)...)
		case !inNew:
			d.Changes = append(d.Changes, Change{Provider: name, Kind: ProviderRemoved,
				Before: sortedCopy(op.Required)})
		default:
			d.Changes = append(d.Changes, compareProvider(name, op, np)...)
		}
	}
	slices.SortStableFunc(d.Changes, compareChanges)
	return d
}

func orEmpty(m *Manifest) *Manifest {
	if m == nil {
		return &Manifest{Version: Version}
	}
	return m
}

func compareChanges(a, b Change) int {
	return cmp.Or(strings.Compare(a.Provider, b.Provider), cmp.Compare(a.Kind, b.Kind),
		strings.Compare(a.Name, b.Name))
}

// providerAdded lists a new provider and the scopes it asks for.
func providerAdded(name string, p Provider) []Change {
	return slices.Concat(
		[]Change{{Provider: name, Kind: ProviderAdded, After: sortedCopy(p.Required)}},
		scopeChanges(name, RequiredAdded, nil, p.Required, p.Scopes),
		scopeChanges(name, OptionalAdded, nil, p.Optional, p.Scopes),
		deprecations(name, Provider{}, p))
}

func compareProvider(name string, op, np Provider) []Change {
	added := scopeChanges(name, RequiredAdded, op.Required, np.Required, np.Scopes)
	for i := range added {
		added[i].Reconsent = true
	}
	return slices.Concat(added,
		scopeChanges(name, RequiredRemoved, np.Required, op.Required, nil),
		scopeChanges(name, OptionalAdded, op.Optional, np.Optional, np.Scopes),
		scopeChanges(name, OptionalRemoved, np.Optional, op.Optional, nil),
		deprecations(name, op, np),
		compareCapabilities(name, op.Capabilities, np.Capabilities),
		compareAuthorization(name, op.Authorization, np.Authorization))
}

// scopeChanges returns a change of kind k for every scope in to but not in
// from, with the features that scopes records as its reasons.
func scopeChanges(provider string, k Kind, from, to []string,
	scopes map[string]Scope) []Change {
	var changes []Change
	for _, s := range to {
		if !slices.Contains(from, s) {
			changes = append(changes, Change{Provider: provider, Kind: k, Name: s,
				Features: sortedCopy(scopes[s].Features)})
		}
	}
	return changes
}

// deprecations returns the deprecated scopes np asks for that op did not
// ask for, or asked for before they were deprecated.
func deprecations(provider string, op, np Provider) []Change {
	var changes []Change
	for _, s := range slices.Concat(np.Required, np.Optional) {
		now := np.Scopes[s]
		if !now.Deprecated || asks(op, s) && op.Scopes[s].Deprecated {
			continue
		}
		changes = append(changes, Change{Provider: provider, Kind: DeprecatedRequested,
			Name: s, Features: sortedCopy(now.Features),
			ReplacedBy: sortedCopy(now.ReplacedBy)})
	}
	return changes
}

func asks(p Provider, scope string) bool {
	return slices.Contains(p.Required, scope) || slices.Contains(p.Optional, scope)
}

func compareCapabilities(provider string, old, new map[string]Capability) []Change {
	var changes []Change
	for _, name := range sortedUnion(old, new) {
		oc, inOld := old[name]
		nc, inNew := new[name]
		c := Change{Provider: provider, Name: name, Before: sortedCopy(oc.Scopes),
			After: sortedCopy(nc.Scopes), Features: sortedCopy(nc.Features)}
		switch {
		case !inOld:
			c.Kind = CapabilityAdded
		case !inNew:
			c.Kind, c.Features = CapabilityRemoved, sortedCopy(oc.Features)
		case !slices.Equal(c.Before, c.After):
			c.Kind = CapabilityChanged
		default:
			continue
		}
		changes = append(changes, c)
	}
	return changes
}

// compareAuthorization returns a change for every setting that differs,
// named by its JSON key; an empty setting counts as unset.
func compareAuthorization(provider string, old, new Authorization) []Change {
	before, after := settings(old), settings(new)
	var changes []Change
	for _, name := range sortedUnion(before, after) {
		b, inOld := before[name]
		a, inNew := after[name]
		if inOld == inNew && a == b {
			continue
		}
		c := Change{Provider: provider, Kind: AuthorizationChanged, Name: name}
		if inOld {
			c.Before = []string{b}
		}
		if inNew {
			c.After = []string{a}
		}
		changes = append(changes, c)
	}
	return changes
}

// settings flattens an authorization into its set values, by JSON key.
func settings(a Authorization) map[string]string {
	all := map[string]string{
		"authorize_url":        a.AuthorizeURL,
		"token_url":            a.TokenURL,
		"scope_param":          a.ScopeParam,
		"scope_separator":      a.ScopeSeparator,
		"optional_scope_param": a.OptionalScopeParam,
		"user_scope_param":     a.UserScopeParam,
		"pkce":                 a.PKCE,
	}
	maps.DeleteFunc(all, func(_, v string) bool { return v == "" })
	for k, v := range a.Params {
		all["params."+k] = v
	}
	return all
}

func sortedUnion[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// sortedCopy returns a sorted copy, so that changes never alias a manifest.
func sortedCopy(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Sorted(slices.Values(s))
}

// String renders the change as one line of text, for example
//
//	hubspot: required scope removed: crm.objects.contacts.write (narrower)
func (c Change) String() string {
	line := c.Provider + ": " + c.Kind.String()
	if c.Name != "" {
		line += ": " + c.Name
	}
	if d := c.Detail(); d != "" {
		line += " (" + d + ")"
	}
	if c.Reconsent {
		line += " — existing connections must re-consent"
	}
	return line
}

// Detail explains the change in a few words beyond its kind and name:
// the features behind it, a capability's scopes, a setting's values.
func (c Change) Detail() string {
	var parts []string
	switch c.Kind {
	case ProviderAdded:
		parts = append(parts, "required: "+scopeList(c.After), "new connections only")
	case RequiredRemoved:
		parts = append(parts, "narrower")
	case DeprecatedRequested:
		parts = append(parts, replacement(c.ReplacedBy))
	case CapabilityAdded:
		parts = append(parts, "scopes: "+scopeList(c.After))
	case CapabilityRemoved:
		parts = append(parts, "was: "+scopeList(c.Before))
	case CapabilityChanged:
		parts = append(parts, "now: "+scopeList(c.After), "was: "+scopeList(c.Before))
	case AuthorizationChanged:
		parts = append(parts, "now "+settingValue(c.After), "was "+settingValue(c.Before))
	}
	if len(c.Features) > 0 {
		parts = append(parts, "features: "+strings.Join(c.Features, ", "))
	}
	return strings.Join(parts, "; ")
}

func scopeList(scopes []string) string {
	if len(scopes) == 0 {
		return "none"
	}
	return strings.Join(scopes, ", ")
}

func replacement(scopes []string) string {
	if len(scopes) == 0 {
		return "no replacement"
	}
	return "replaced by " + strings.Join(scopes, ", ")
}

// settingValue quotes a setting so that an empty or blank value stays visible.
func settingValue(setting []string) string {
	if len(setting) == 0 {
		return "unset"
	}
	return strconv.Quote(setting[0])
}

// Text renders the diff one change per line, or "no changes".
func (d Diff) Text() string {
	if d.Empty() {
		return "no changes\n"
	}
	var b strings.Builder
	for _, c := range d.Changes {
		b.WriteString(c.String() + "\n")
	}
	return b.String()
}

// Markdown renders the diff from templates/diff.md.tmpl, for a comment on
// a pull request: a warning when connections must re-consent, then a table
// of changes per provider.
func (d Diff) Markdown() ([]byte, error) {
	t, err := templates.Parse("diff.md.tmpl")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, d.view()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// diffView is a diff with every string already escaped for Markdown.
type diffView struct {
	// Reconsent names the providers whose connections must re-consent.
	Reconsent string
	Providers []providerChanges
}

type providerChanges struct {
	Name string
	Rows []changeRow
}

type changeRow struct {
	Kind, Name, Detail string
	Reconsent          bool
}

func (d Diff) view() diffView {
	var v diffView
	var reconsent []string
	for _, c := range d.Changes {
		if n := len(v.Providers); n == 0 || v.Providers[n-1].Name != c.Provider {
			v.Providers = append(v.Providers, providerChanges{Name: c.Provider})
		}
		p := &v.Providers[len(v.Providers)-1]
		p.Rows = append(p.Rows, changeRow{Kind: c.Kind.String(), Name: codeSpan(c.Name),
			Detail: tableCell(c.Detail()), Reconsent: c.Reconsent})
		if c.Reconsent && !slices.Contains(reconsent, c.Provider) {
			reconsent = append(reconsent, c.Provider)
		}
	}
	v.Reconsent = strings.Join(reconsent, ", ")
	return v
}
