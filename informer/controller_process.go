package informer

import "fmt"

// The functions an informer's controller processes popped deltas with: they
// write the deltas into the informer's store (clientState) and call the
// handler, which for a shared informer distributes to the listeners.
//
// The store is written before the handler is called, so a handler that
// reads the store sees the change it is told about.

// processDeltas applies deltas, oldest first.
//
//   - Sync, Replaced, Added, Updated: update the store and call OnUpdate(old,
//     new) if the key was there, else add and call OnAdd(new,
//     isInInitialList).
//   - Deleted: delete (a missing key is fine) and call OnDelete, even for an
//     object the store never had; the object may be a tombstone.
//   - ReplacedAll: reconcile the whole relist against the store (see
//     processReplacedAllInfo).
//   - SyncAll: OnUpdate(o, o) for every stored object, in store order; any
//     deltas after it are ignored, as in client-go.
//   - Bookmark: record the resourceVersion in the store.
func processDeltas(handler ResourceEventHandler, clientState Store, deltas Deltas, isInInitialList bool, keyFunc KeyFunc) error {
	for _, d := range deltas {
		obj := d.Object
		switch d.Type {
		case ReplacedAll:
			info, ok := obj.(ReplacedAllInfo)
			if !ok {
				return fmt.Errorf("ReplacedAll did not contain ReplacedAllInfo: %T", obj)
			}
			if err := processReplacedAllInfo(handler, info, clientState, isInInitialList, keyFunc); err != nil {
				return err
			}
		case SyncAll:
			if _, ok := obj.(SyncAllInfo); !ok {
				return fmt.Errorf("SyncAll did not contain SyncAllInfo: %T", obj)
			}
			for _, o := range clientState.List() {
				handler.OnUpdate(o, o)
			}
			return nil
		case Sync, Replaced, Added, Updated:
			if old, exists, err := clientState.Get(obj); err == nil && exists {
				if err := clientState.Update(obj); err != nil {
					return err
				}
				handler.OnUpdate(old, obj)
			} else {
				if err := clientState.Add(obj); err != nil {
					return err
				}
				handler.OnAdd(obj, isInInitialList)
			}
		case Deleted:
			if err := clientState.Delete(obj); err != nil {
				return err
			}
			handler.OnDelete(obj)
		case Bookmark:
			info, ok := obj.(BookmarkInfo)
			if !ok {
				return fmt.Errorf("bookmark delta did not contain BookmarkInfo: %T", obj)
			}
			clientState.Bookmark(info.ResourceVersion)
		}
	}
	return nil
}

// processReplacedAllInfo applies an atomic relist. Keys the store has and
// the list lacks become tombstones carrying the store's object; listed
// objects become updates (the key was stored) or adds. The store is
// replaced first, so that handlers see the final state; then come every
// OnDelete, then the updates and adds in list order.
func processReplacedAllInfo(handler ResourceEventHandler, info ReplacedAllInfo, clientState Store, isInInitialList bool, keyFunc KeyFunc) error {
	type replacement struct{ oldObj, newObj any }
	var deletions []DeletedFinalStateUnknown
	replacements := make([]replacement, 0, len(info.Objects))
	err := reconcileReplacement(nil, clientState, info.Objects, keyFunc,
		func(key string, last any, _ string) error {
			deletions = append(deletions, DeletedFinalStateUnknown{Key: key, Obj: last})
			return nil
		},
		func(obj any) error {
			r := replacement{newObj: obj}
			if old, exists, err := clientState.Get(obj); err == nil && exists {
				r.oldObj = old
			}
			replacements = append(replacements, r)
			return nil
		})
	if err != nil {
		return err
	}
	if err := clientState.Replace(info.Objects, info.ResourceVersion); err != nil {
		return err
	}
	for _, d := range deletions {
		handler.OnDelete(d)
	}
	for _, r := range replacements {
		if r.oldObj != nil {
			handler.OnUpdate(r.oldObj, r.newObj)
		} else {
			handler.OnAdd(r.newObj, isInInitialList)
		}
	}
	return nil
}

// processDeltasInBatch applies a batch of deltas of distinct keys, as
// PopBatch hands them out: it decides add or update for each against the
// store as it was before the batch, writes them all in one transaction, then
// calls the handler for each, in order. When some writes fail to key, only
// the others' handlers are called, and an error is returned. A store that
// cannot do transactions gets the deltas one by one.
func processDeltasInBatch(handler ResourceEventHandler, clientState Store, deltas []Delta, isInInitialList bool, keyFunc KeyFunc) error {
	txnStore, ok := clientState.(TransactionStore)
	if !ok {
		var errs []error
		for _, d := range deltas {
			if err := processDeltas(handler, clientState, Deltas{d}, isInInitialList, keyFunc); err != nil {
				errs = append(errs, err)
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("unexpected error when handling deltas: %v", errs)
		}
		return nil
	}
	txns := make([]Transaction, 0, len(deltas))
	callbacks := make([]func(), 0, len(deltas))
	for _, d := range deltas {
		obj := d.Object
		switch d.Type {
		case Sync, Replaced, Added, Updated:
			if old, exists, err := clientState.Get(obj); err == nil && exists {
				txns = append(txns, Transaction{Type: TransactionTypeUpdate, Object: obj})
				callbacks = append(callbacks, func() { handler.OnUpdate(old, obj) })
			} else {
				txns = append(txns, Transaction{Type: TransactionTypeAdd, Object: obj})
				callbacks = append(callbacks, func() { handler.OnAdd(obj, isInInitialList) })
			}
		case Deleted:
			txns = append(txns, Transaction{Type: TransactionTypeDelete, Object: obj})
			callbacks = append(callbacks, func() { handler.OnDelete(obj) })
		default:
			return fmt.Errorf("Delta type %s is not supported in batch processing", d.Type)
		}
	}
	if err := txnStore.Transaction(txns...); err != nil {
		for _, i := range err.SuccessfulIndices {
			if i < len(callbacks) {
				callbacks[i]()
			}
		}
		return fmt.Errorf("not all items in the batch successfully processed: %s", err.Error())
	}
	for _, cb := range callbacks {
		cb()
	}
	return nil
}
