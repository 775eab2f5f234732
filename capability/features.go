package capability

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// FeatureSpec is a product feature as one provider serves it: the
// capabilities it requires and those it can do without, and the manifest's
// scopes that serve them. Generated code declares one per feature.
type FeatureSpec struct {
	Name     string
	Requires []string
	Optional []string
	// Scopes are the manifest's scopes that serve the required
	// capabilities; OptionalScopes those that serve only optional ones.
	Scopes         []string
	OptionalScopes []string
}

// Optional is the handle of an optional capability of a feature, with
// whether the grant holds the capability and, when it does not, the scopes
// it lacks. A handle that is not Available fails every call.
type Optional[H any] struct {
	Handle    H
	Available bool
	Missing   []string
}

// Get returns the handle and whether its capability is available.
func (o Optional[H]) Get() (H, bool) { return o.Handle, o.Available }

// Verify checks that the grant satisfies every required capability of each
// feature. The first unmet one, in the order given, is reported as a *Error
// with status 403 that names the provider, the feature, the capability, the
// alternatives that would satisfy it and the scopes missing for the closest.
// Optional capabilities never fail verification.
func (g *Grant) Verify(features ...FeatureSpec) error {
	for _, f := range features {
		for _, c := range f.Requires {
			if g.Has(c) {
				continue
			}
			e := &Error{
				Status:     statusOf(KindMissingScope, 0),
				Kind:       KindMissingScope,
				Provider:   g.Provider().Name(),
				Feature:    f.Name,
				Capability: c,
				Missing:    g.Missing(c),
				Message:    "the connection lacks a capability the feature requires",
			}
			if spec, ok := g.Provider().Capability(c); ok {
				e.Alternatives = spec.Requirement.AnyOf
			}
			return e
		}
	}
	return nil
}

// AuthRequest is what to send to a provider's authorization endpoint: use
// Options with oauth2.Config.AuthCodeURL, and pass Verifier to Exchange
// with oauth2.VerifierOption when it is not empty (PKCE).
type AuthRequest struct {
	// Scopes is every scope the request asks for, sorted.
	Scopes []string
	// Options set the scope parameters, the provider's fixed parameters and
	// the PKCE challenge. The scope parameter is set here, joined with the
	// provider's separator, so oauth2.Config.Scopes can stay empty (if it is
	// set, these options override it).
	Options  []oauth2.AuthCodeOption
	Verifier string
	// ExchangeOptions go to oauth2.Config.Exchange: the PKCE verifier and
	// the provider's fixed token request parameters.
	ExchangeOptions []oauth2.AuthCodeOption
}

// NewAuthRequest builds the authorization request for required and optional
// scopes. Optional scopes go to the provider's optional scope parameter when
// it has one (HubSpot's optional_scope) and join the scope parameter
// otherwise; scopes the spec marks as user-token scopes go to the user scope
// parameter when the provider has one (Slack's user_scope). Fixed parameters
// are always sent; a PKCE verifier is generated when the provider supports
// PKCE.
func (p *Provider) NewAuthRequest(required, optional []string) AuthRequest {
	auth := p.Auth()
	var main []string
	extra := map[string][]string{}
	optionalParam, userParam := extraParam(auth, "optional"), extraParam(auth, "user")
	route := func(scopes []string, param *ExtraScopeParam) {
		for _, s := range scopes {
			switch spec, _ := p.Scope(s); {
			case spec.User && userParam != nil:
				extra[userParam.Param] = append(extra[userParam.Param], s)
			case param != nil:
				extra[param.Param] = append(extra[param.Param], s)
			default:
				main = append(main, s)
			}
		}
	}
	route(auth.DefaultScopes, nil)
	route(required, nil)
	route(optional, optionalParam)

	var r AuthRequest
	if len(main) > 0 || !auth.OmitEmpty {
		r.Options = append(r.Options, oauth2.SetAuthURLParam(
			orDefault(auth.ScopeParam, "scope"), joinScopes(main, auth.ScopeSeparator)))
	}
	for _, x := range auth.ExtraScopeParams {
		if scopes := extra[x.Param]; len(scopes) > 0 {
			r.Options = append(r.Options, oauth2.SetAuthURLParam(x.Param, joinScopes(scopes, x.Separator)))
		}
	}
	for _, prm := range auth.Params {
		r.Options = append(r.Options, oauth2.SetAuthURLParam(prm.Name, prm.Value))
	}
	if auth.Nonce {
		// A verifier is 32 random bytes in base64url: a good nonce too.
		r.Options = append(r.Options, oauth2.SetAuthURLParam("nonce", oauth2.GenerateVerifier()))
	}
	if auth.PKCE == PKCESupported || auth.PKCE == PKCERequired {
		r.Verifier = oauth2.GenerateVerifier()
		r.Options = append(r.Options, oauth2.S256ChallengeOption(r.Verifier))
		r.ExchangeOptions = append(r.ExchangeOptions, oauth2.VerifierOption(r.Verifier))
	}
	for _, prm := range auth.TokenParams {
		r.ExchangeOptions = append(r.ExchangeOptions, oauth2.SetAuthURLParam(prm.Name, prm.Value))
	}
	r.Scopes = sortedUnique(slices.Concat(auth.DefaultScopes, required, optional))
	return r
}

// Endpoint returns the provider's OAuth2 endpoint for one connection, with
// every {placeholder} of its URLs filled from vars or, failing that, from
// the spec's defaults. It names the placeholders left without a value.
func (p *Provider) Endpoint(vars map[string]string) (oauth2.Endpoint, error) {
	auth := p.Auth()
	authURL, missingA := p.fillPlaceholders(auth.AuthorizeURL, vars)
	tokenURL, missingT := p.fillPlaceholders(auth.TokenURL, vars)
	e := oauth2.Endpoint{AuthURL: authURL, TokenURL: tokenURL}
	if auth.ClientAuth == ClientAuthBasic {
		e.AuthStyle = oauth2.AuthStyleInHeader
	} else {
		e.AuthStyle = oauth2.AuthStyleInParams
	}
	if missing := sortedUnique(slices.Concat(missingA, missingT)); len(missing) > 0 {
		return e, &Error{Kind: KindRequest, Provider: p.Name(),
			Message: "no value for placeholders " + strings.Join(missing, ", ") +
				" of the authorization URLs"}
	}
	return e, nil
}

// fillPlaceholders fills the {placeholders} of u from vars, then from the
// spec's defaults, and returns the names it found no value for.
func (p *Provider) fillPlaceholders(u string, vars map[string]string) (string, []string) {
	values := map[string]string{}
	for _, d := range p.Auth().PlaceholderDefaults {
		values[d.Name] = d.Value
	}
	maps.Copy(values, vars)
	var missing []string
	filled := placeholderPattern.ReplaceAllStringFunc(u, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := values[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return url.PathEscape(v)
	})
	return filled, missing
}

var placeholderPattern = regexp.MustCompile(`\{[A-Za-z_][A-Za-z0-9_]*\}`)

func extraParam(auth OAuth2, role string) *ExtraScopeParam {
	for i := range auth.ExtraScopeParams {
		if auth.ExtraScopeParams[i].Role == role {
			return &auth.ExtraScopeParams[i]
		}
	}
	return nil
}

func joinScopes(scopes []string, sep string) string {
	return strings.Join(sortedUnique(scopes), orDefault(sep, " "))
}

func sortedUnique(s []string) []string {
	return NewScopeSet(s...).sorted
}

// Lacking returns the scopes among want that the grant does not hold after
// implications, sorted.
func (g *Grant) Lacking(want []string) []string {
	var out []string
	for _, s := range want {
		if g == nil || !g.scopes.Has(s) {
			out = append(out, s)
		}
	}
	return sortedUnique(out)
}

// FeatureAuthRequest builds the authorization request for features: the
// scopes that serve their required capabilities, and as optional the scopes
// that serve only optional ones.
func (p *Provider) FeatureAuthRequest(features ...FeatureSpec) AuthRequest {
	required, optional := featureScopes(features)
	return p.NewAuthRequest(required, optional)
}

// IncrementalAuthRequest builds the request that brings an existing grant up
// to what features need. Its Scopes are empty when nothing is missing. When
// the provider adds new grants to earlier ones (Incremental), it asks for
// the missing scopes only; otherwise it asks again for the scopes the
// connection holds as well, so that re-consent loses none of them.
func (g *Grant) IncrementalAuthRequest(features ...FeatureSpec) AuthRequest {
	p := g.Provider()
	required, optional := featureScopes(features)
	required, optional = g.Lacking(required), g.Lacking(optional)
	if len(required)+len(optional) == 0 {
		return AuthRequest{}
	}
	if !p.Auth().Incremental {
		for _, s := range g.Raw() {
			if !slices.Contains(optional, s) {
				required = append(required, s)
			}
		}
	}
	return p.NewAuthRequest(sortedUnique(required), optional)
}

// featureScopes unions the features' scopes; a scope some feature requires
// is never also optional.
func featureScopes(features []FeatureSpec) (required, optional []string) {
	for _, f := range features {
		required = append(required, f.Scopes...)
		optional = append(optional, f.OptionalScopes...)
	}
	required = sortedUnique(required)
	optional = slices.DeleteFunc(sortedUnique(optional), func(s string) bool {
		return slices.Contains(required, s)
	})
	return required, optional
}
