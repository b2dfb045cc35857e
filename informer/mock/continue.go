package mock

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// A continue token is opaque to clients. The mock writes the shape the real
// server writes (storage/etcd3's encodeContinue, seen on the wire): base64url
// without padding of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"},
// where N is the list's resourceVersion and key is the last item's key
// after the list's prefix ("/name" in a namespace, "/ns/name" across
// namespaces); the NUL makes the next page start strictly after it. rv -1
// stands for "now": the inconsistent remainder the server offers when a
// token has expired.
type continueToken struct {
	V     string `json:"v"`
	RV    int64  `json:"rv"`
	Start string `json:"start"`
}

const continueVersion = "meta.k8s.io/v1"

// inconsistentContinue is the real server's message for a continue token
// older than its history.
const inconsistentContinue = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

func encodeContinue(rv int64, lastRelKey string) string {
	b, err := json.Marshal(continueToken{V: continueVersion, RV: rv, Start: lastRelKey + "\x00"})
	if err != nil {
		panic(err) // cannot happen: strings and an int
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeContinue returns the token's resourceVersion and the relative key
// the page starts at; a bad token is the real server's 400.
func decodeContinue(token string) (rv int64, start string, err error) {
	bad := func(format string, args ...any) error {
		return apierrors.NewBadRequest("invalid continue token: continue key is not valid: " + fmt.Sprintf(format, args...))
	}
	data, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, "", bad("%v", err)
	}
	var t continueToken
	if err := json.Unmarshal(data, &t); err != nil {
		return 0, "", bad("%v", err)
	}
	if t.V != continueVersion {
		return 0, "", bad("server does not recognize this encoded version %q", t.V)
	}
	if t.RV == 0 {
		return 0, "", bad("incorrect encoded start resourceVersion (version %s)", continueVersion)
	}
	if !strings.HasPrefix(t.Start, "/") {
		return 0, "", bad("start key %q is not a key", t.Start)
	}
	return t.RV, t.Start, nil
}

// relativeKey is a store key as it appears after a list's prefix: "/name"
// in a namespace's list, "/ns/name" (or "/name" for a cluster-scoped kind)
// across namespaces.
func relativeKey(k Kind, listNamespace, key string) string {
	if k.Namespaced && listNamespace != "" {
		return strings.TrimPrefix(key, listNamespace) // "ns/name" -> "/name"
	}
	return "/" + key
}
