package officefile

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"luot/server/auth"
	"luot/server/queue"
)

// AccountStore is where Apply writes staff and devices.
type AccountStore interface {
	PutStaff(ctx context.Context, s queue.Staff, pinHash []byte) error
	PutDevice(ctx context.Context, d queue.Device, keyHash []byte) error
}

// HashKey is how device keys are kept: auth.Hash.
//
// Deprecated: use auth.Hash (kept for the kiosk's test stack).
func HashKey(key string) []byte { return auth.Hash(key) }

// ApplyAccounts adds or updates the file's staff and devices in the store.
// PINs are hashed with hashPIN (bcrypt, from the caller) and keys with
// auth.Hash; neither is kept as given. Every PIN given in clear is checked
// first (queue.CheckPIN: an administrator's has at least minAdminPIN
// digits), so that a file with a short one changes nothing; a pin_hash
// cannot be checked and is taken as exported.
func ApplyAccounts(ctx context.Context, st AccountStore, f *File, hashPIN func(string) ([]byte, error), minAdminPIN int) error {
	if err := f.CheckPINs(minAdminPIN); err != nil {
		return err
	}
	for _, s := range f.Staff {
		hash := []byte(s.PINHash)
		if s.PIN != "" {
			var err error
			if hash, err = hashPIN(s.PIN); err != nil {
				return fmt.Errorf("staff %s: hash PIN: %w", s.ID, err)
			}
		}
		m := queue.Staff{ID: s.ID, Office: f.Office.ID, Name: s.Name, Title: s.Title, Role: s.Role, Unit: s.Unit, Disabled: s.Disabled}
		if err := st.PutStaff(ctx, m, hash); err != nil {
			return fmt.Errorf("import staff %s: %w", s.ID, err)
		}
	}
	for _, d := range f.Devices {
		hash := auth.Hash(d.Key)
		if d.KeyHash != "" {
			var err error
			if hash, err = hex.DecodeString(d.KeyHash); err != nil {
				return fmt.Errorf("device %s: key_hash: %w", d.ID, err)
			}
		}
		m := queue.Device{ID: d.ID, Office: f.Office.ID, Name: d.Name, Kind: d.Kind, Counter: d.Counter, Revoked: d.Revoked}
		if err := st.PutDevice(ctx, m, hash); err != nil {
			return fmt.Errorf("import device %s: %w", d.ID, err)
		}
	}
	return nil
}

// CheckPINs checks the length of every PIN the file gives in clear for
// its member's role (queue.CheckPIN).
func (f *File) CheckPINs(minAdminPIN int) error {
	for _, s := range f.Staff {
		if s.PIN == "" {
			continue
		}
		if err := queue.CheckPIN(s.Role, s.PIN, minAdminPIN); err != nil {
			var qe *queue.Error
			if errors.As(err, &qe) {
				return fmt.Errorf("staff %s: %s", s.ID, qe.Message)
			}
			return fmt.Errorf("staff %s: %w", s.ID, err)
		}
	}
	return nil
}

// ExportStore is what Export reads.
type ExportStore interface {
	Office(ctx context.Context, id string) (queue.Office, error)
	ListStaff(ctx context.Context, office string) ([]queue.Staff, error)
	StaffAuth(ctx context.Context, office, id string) (queue.Staff, []byte, int, error)
	ListDevices(ctx context.Context, office string) ([]queue.Device, error)
	DeviceKeyHash(ctx context.Context, office, id string) ([]byte, error)
}

// Export reads an office's configuration, staff (with PIN hashes) and
// devices (with key hashes) as an office file. Staff without a PIN are
// left out: a file names how each member logs in.
func Export(ctx context.Context, st ExportStore, office string) (*File, error) {
	o, err := st.Office(ctx, office)
	if err != nil {
		return nil, err
	}
	f := &File{Office: o, Staff: []Staff{}, Devices: []Device{}}
	staff, err := st.ListStaff(ctx, office)
	if err != nil {
		return nil, err
	}
	for _, s := range staff {
		_, hash, _, err := st.StaffAuth(ctx, office, s.ID)
		if err != nil {
			return nil, err
		}
		if len(hash) == 0 {
			continue
		}
		f.Staff = append(f.Staff, Staff{ID: s.ID, Name: s.Name, Title: s.Title, Role: s.Role, Unit: s.Unit, Disabled: s.Disabled, PINHash: string(hash)})
	}
	devices, err := st.ListDevices(ctx, office)
	if err != nil {
		return nil, err
	}
	for _, d := range devices {
		hash, err := st.DeviceKeyHash(ctx, office, d.ID)
		if err != nil {
			return nil, err
		}
		f.Devices = append(f.Devices, Device{ID: d.ID, Name: d.Name, Kind: d.Kind, Counter: d.Counter, Revoked: d.Revoked, KeyHash: hex.EncodeToString(hash)})
	}
	return f, f.Validate()
}
