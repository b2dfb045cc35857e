package trace

// The kinds of the storage and queue layers: threadSafeMap, DeltaFIFO and
// RealFIFO.

const (
	// Store (threadSafeMap) kinds. Fields: Key, Obj, RV; KeepRV is set when
	// the operation left the store's resourceVersion unchanged (the object had
	// no metadata, or it was not the last operation of a transaction).

	// StoreAdded: a key that was not in Items now holds Obj.
	StoreAdded Kind = queueBase + iota
	// StoreUpdated: a key already in Items now holds Obj.
	StoreUpdated
	// StoreDeleted: Key left Items.
	StoreDeleted
	// StoreReplaced: Items became exactly Keys[i] -> Objs[i], the store's
	// resourceVersion became RV, and every index was emptied. IndexEntryAdded
	// events that rebuild the indices follow.
	StoreReplaced
	// StoreBookmark: the store's resourceVersion became RV.
	StoreBookmark
	// IndexerAdded: an index function named Index was registered.
	IndexerAdded
	// IndexEntryAdded: Key joined the set of Indices[Index][Value].
	IndexEntryAdded
	// IndexEntryRemoved: Key left Indices[Index][Value]; an empty set is
	// removed with it.
	IndexEntryRemoved

	// Queue kinds (DeltaFIFO and RealFIFO).

	// DeltaAppended: a new entry for Key holding Delta{Type, Obj} was put at
	// the tail, at position Pos.
	DeltaAppended
	// DeltaMerged: Delta{Type, Obj} was appended to the Deltas of the entry
	// for Key, which is at Pos and keeps its place (DeltaFIFO only).
	DeltaMerged
	// DeltaDeduped: the last two Deltas of the entry for Key were both
	// Deleted and were collapsed into one; Reason says which one was kept
	// ("kept older" or "kept newer"). DeltaFIFO only.
	DeltaDeduped
	// DeltaDropped: a Delta{Type, Obj} for Key was not queued; Reason says
	// why. Nothing in the queue changed.
	DeltaDropped
	// TombstoneMade: a relist did not contain Key, so a
	// DeletedFinalStateUnknown (Obj) is about to be queued for it. Reason
	// says where its final state came from ("queue" or "known objects").
	TombstoneMade
	// QueuePopulated: the queue saw its first write; Left is the initial
	// population count (the entries a consumer must pop before the queue
	// counts as synced).
	QueuePopulated
	// QueuePopped: the head entry for Key (Count Deltas) was taken out and
	// handed to the process function. Initial is the isInInitialList flag it
	// was given; Left is the initial population count after the pop.
	QueuePopped
	// QueueBatchPopped: the first Count entries (Keys) were taken out and
	// handed to the batch or single process function; Initial and Left as
	// for QueuePopped.
	QueueBatchPopped
	// QueueProcessed: the process function of the last pop returned; Left is
	// the initial population count now, Reason is its error, if any.
	QueueProcessed
	// QueueSynced: the queue's initial population was all popped (HasSynced
	// became true).
	QueueSynced
	// QueueClosed: Close was called.
	QueueClosed
)

var queueKinds = map[Kind]string{
	StoreAdded:        "StoreAdded",
	StoreUpdated:      "StoreUpdated",
	StoreDeleted:      "StoreDeleted",
	StoreReplaced:     "StoreReplaced",
	StoreBookmark:     "StoreBookmark",
	IndexerAdded:      "IndexerAdded",
	IndexEntryAdded:   "IndexEntryAdded",
	IndexEntryRemoved: "IndexEntryRemoved",
	DeltaAppended:     "DeltaAppended",
	DeltaMerged:       "DeltaMerged",
	DeltaDeduped:      "DeltaDeduped",
	DeltaDropped:      "DeltaDropped",
	TombstoneMade:     "TombstoneMade",
	QueuePopulated:    "QueuePopulated",
	QueuePopped:       "QueuePopped",
	QueueBatchPopped:  "QueueBatchPopped",
	QueueProcessed:    "QueueProcessed",
	QueueSynced:       "QueueSynced",
	QueueClosed:       "QueueClosed",
}
