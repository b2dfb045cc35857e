package mock

import (
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/labels"
)

// selector is a request's label and field selectors.
type selector struct {
	labels labels.Selector
	fields fields.Selector
}

// parseSelector parses the request's selectors; a bad one is the real
// server's 400. Only the field selectors every kind supports are known:
// metadata.name and metadata.namespace.
func parseSelector(labelSel, fieldSel string) (selector, error) {
	ls, err := labels.Parse(labelSel)
	if err != nil {
		return selector{}, apierrors.NewBadRequest(err.Error())
	}
	fs, err := fields.ParseSelector(fieldSel)
	if err != nil {
		return selector{}, apierrors.NewBadRequest(err.Error())
	}
	for _, r := range fs.Requirements() {
		if r.Field != "metadata.name" && r.Field != "metadata.namespace" {
			return selector{}, apierrors.NewBadRequest(fmt.Sprintf("%q is not a known field selector: only %q, %q", r.Field, "metadata.name", "metadata.namespace"))
		}
	}
	return selector{labels: ls, fields: fs}, nil
}

// empty tells whether the selector selects everything: the real server
// reports remainingItemCount only then.
func (s selector) empty() bool { return s.labels.Empty() && s.fields.Empty() }

func (s selector) matches(o *unstructured.Unstructured) bool {
	if !s.labels.Matches(labels.Set(o.GetLabels())) {
		return false
	}
	return s.fields.Matches(fields.Set{"metadata.name": o.GetName(), "metadata.namespace": o.GetNamespace()})
}
