package ui

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// op is one scripted operation, applied to both queues at once.
type op struct {
	desc  string
	apply func(d *demo)
}

// script is the queue demo. It follows one informer's life: the initial
// list, watch events, a resync, and a relist after a watch outage that
// turns a missed delete into a tombstone, with pops in between, so that the
// two queues can be compared at every step. resourceVersions come from one
// counter, as in a kube-apiserver.
var script = []op{
	{"Replace([a@1, b@2], rv 2): the initial list", func(d *demo) { d.replace("2", obj("a", "1"), obj("b", "2")) }},
	{"Update a@3: a watch event", func(d *demo) { d.update(obj("a", "3")) }},
	{"Pop", (*demo).pop},
	{"Pop", (*demo).pop},
	{"Add c@4", func(d *demo) { d.add(obj("c", "4")) }},
	{"Resync", (*demo).resync},
	{"Replace([a@5, c@4], rv 6): a relist after the watch broke; b was deleted meanwhile", func(d *demo) {
		d.replace("6", obj("a", "5"), obj("c", "4"))
	}},
	{"Pop", (*demo).pop},
	{"Pop", (*demo).pop},
	{"Pop", (*demo).pop},
	{"Pop", (*demo).pop},
}

// obj returns the object named name in namespace "ns" at resourceVersion
// rv, written name@rv throughout the demo. Every call makes a new object,
// as every watch event or list does.
func obj(name, rv string) *metav1.PartialObjectMetadata {
	return &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, ResourceVersion: rv}}
}
