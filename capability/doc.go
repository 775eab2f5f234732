// Package capability is the runtime that capgen's generated clients use. It
// turns the scopes a connection was granted into handles, and sends each API
// call through the handle of the capability the call needs.
//
// A product thinks in capabilities, such as contact.read; a provider thinks
// in scopes, such as crm.objects.contacts.read. Generated code describes one
// provider as a ProviderSpec and indexes it once with NewProvider. After
// authorization, a Grant records what the connection really got, with the
// provider's implications expanded:
//
//	grant, err := capability.GrantFromToken(hubspot.Provider(), tok, requested)
//	client := capability.NewClient(hubspot.Provider(), conf.TokenSource(ctx, tok))
//	contacts, err := grant.Handle(client, "contact.read")
//
// Grant.Handle fails early, with a *Error of status 403 naming the missing
// scopes, when the grant does not satisfy the capability. Generated methods
// hang off typed wrappers of a Handle, so code that holds no handle for a
// capability cannot call its operations.
//
// Every failure is a *Error, and every provider's way of saying the same
// thing reads the same: an expired or revoked token is status 401, a missing
// scope or a refusal 403, a rate limit 429, whatever HTTP status the provider
// used (Slack, for one, answers 200 with "ok": false). Use errors.Is with
// ErrUnauthorized, ErrForbidden, ErrRateLimited and ErrNoHandle, or
// errors.As for the details:
//
//	var e *capability.Error
//	if errors.As(err, &e) && e.Status == 403 {
//		askAgainFor(e.Missing)
//	}
//
// Errors and logs never hold a token: messages are built from the provider's
// own text, cleaned of the tokens the client used, and never from request
// headers. The runtime logs nothing unless given a *slog.Logger with
// WithLogger.
package capability
