// Checkpoints that survive a power cut in the middle of a write: two slots (on a board, two flash
// sectors; here any two byte regions of the caller's), each holding one blob (io/blob.hpp) whose
// header carries a sequence number under the CRC.
//
// The scheme. A save writes the slot that does NOT hold the newest good checkpoint, with
// sequence = that checkpoint's + 1 (0 into slot 0 when neither slot is good); so the newest good
// checkpoint is never the one being overwritten, and a write cut short at any byte leaves it
// intact. Restore checks both slots fully against the destination (check_blob: magic, version,
// length, CRC, format, sizes, finiteness) and loads the good one with the newer sequence; a torn
// slot fails its CRC (or, cut inside the header, its magic or length) and is skipped. "Good" is
// the same test for save and restore, so a save never overwrites the slot restore would pick.
//
// Sequence numbers are 32-bit and wrap: a is newer than b when (a - b) mod 2^32 is in
// [1, 2^31) (serial-number arithmetic), so 0 is newer than 0xFFFFFFFF. The two slots of this
// scheme differ by 1 whenever both are good; equal numbers, or numbers 2^31 apart (neither newer:
// only hand-made slots), go to slot 0.
//
// For flash, where a write is an erase and a program of the driver's own: plan_checkpoint tells
// the slot and the sequence, save_blob(net, ram_buffer, size, plan.sequence) makes the bytes, and
// the driver programs them into that slot; save_checkpoint does all of it for slots in RAM.
#pragma once
#include <cstddef>
#include <cstdint>

#include "twolayer/io/blob.hpp"

namespace twolayer {

// The two slots, writable: slot[0] and slot[1], each `size` bytes (at least blob_size of the
// network; the bytes after a blob are left as they were).
struct checkpoint_slots {
    std::uint8_t* slot[2] = {nullptr, nullptr};
    std::size_t size = 0;
};
// The two slots, read only (restore from flash mapped as const data).
struct checkpoint_slots_view {
    const std::uint8_t* slot[2] = {nullptr, nullptr};
    std::size_t size = 0;
    checkpoint_slots_view() = default;
    checkpoint_slots_view(const std::uint8_t* s0, const std::uint8_t* s1, std::size_t n) : slot{s0, s1}, size(n) {}
    checkpoint_slots_view(const checkpoint_slots& s) : slot{s.slot[0], s.slot[1]}, size(s.size) {}
};

// Whether sequence a is newer than b under wrapping 32-bit serial-number comparison.
constexpr bool sequence_newer(std::uint32_t a, std::uint32_t b) {
    const std::uint32_t d = a - b;
    return d != 0 && d < 0x80000000u;
}

// What the slots hold for a network: each slot's check (check_blob), which one is the newest
// good checkpoint (-1: neither is good) and its sequence number.
struct checkpoint_scan {
    blob_status slot_status[2] = {blob_status::bad_magic, blob_status::bad_magic};
    std::uint32_t slot_sequence[2] = {0, 0};
    int newest = -1;
    std::uint32_t sequence = 0;  // the newest's, when newest >= 0
};

// Checks both slots against net (reads only; net is not written).
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
checkpoint_scan scan_checkpoints(checkpoint_slots_view slots, const Net& net) {
    checkpoint_scan s;
    for (int i = 0; i < 2; ++i) {
        const blob_parse c = check_blob(slots.slot[i], slots.slot[i] ? slots.size : 0, net);
        s.slot_status[i] = c.status;
        s.slot_sequence[i] = c.header.sequence;
    }
    const bool good0 = s.slot_status[0] == blob_status::ok, good1 = s.slot_status[1] == blob_status::ok;
    if (good0 && good1) s.newest = sequence_newer(s.slot_sequence[1], s.slot_sequence[0]) ? 1 : 0;
    else if (good0) s.newest = 0;
    else if (good1) s.newest = 1;
    if (s.newest >= 0) s.sequence = s.slot_sequence[s.newest];
    return s;
}

// Where the next checkpoint goes: the slot and the sequence number to write it with.
struct checkpoint_plan {
    int slot = 0;
    std::uint32_t sequence = 0;
};

// The slot not holding the newest good checkpoint, and that checkpoint's sequence + 1 (slot 0,
// sequence 0, when neither slot is good).
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
checkpoint_plan plan_checkpoint(checkpoint_slots_view slots, const Net& net) {
    const checkpoint_scan s = scan_checkpoints(slots, net);
    if (s.newest < 0) return {0, 0};
    return {1 - s.newest, s.sequence + 1u};
}

// What save_checkpoint reports: save_blob's status, and the slot and sequence written.
struct checkpoint_save_result {
    blob_status status = blob_status::ok;
    int slot = 0;
    std::uint32_t sequence = 0;
    bool ok() const { return status == blob_status::ok; }
    explicit operator bool() const { return ok(); }
};

// Saves net into the slot plan_checkpoint names (slots in RAM; see the top for flash). On an error
// of save_blob (too_small: a slot smaller than the blob; nonfinite_value; size_mismatch) nothing
// is written and the newest good checkpoint stays the one restore finds.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
checkpoint_save_result save_checkpoint(checkpoint_slots slots, const Net& net) {
    const checkpoint_plan plan = plan_checkpoint(slots, net);
    const blob_write_result w = save_blob(net, slots.slot[plan.slot], slots.size, plan.sequence);
    return {w.status, plan.slot, plan.sequence};
}

// Why a restore loaded nothing (ok: it loaded).
enum class restore_status : std::uint8_t {
    ok = 0,
    no_valid_checkpoint,  // neither slot holds a good blob for this network (see slot_status)
};

// What restore_checkpoint reports: the status, the slot and sequence loaded, and why each slot
// was or was not good.
struct checkpoint_restore_result {
    restore_status status = restore_status::ok;
    int slot = -1;
    std::uint32_t sequence = 0;
    blob_status slot_status[2] = {blob_status::bad_magic, blob_status::bad_magic};
    bool ok() const { return status == restore_status::ok; }
    explicit operator bool() const { return ok(); }
};

// Loads into net the good slot with the newer sequence (torn and corrupt slots skipped). With no
// good slot, net keeps every byte and the status is no_valid_checkpoint.
template <class Net, std::enable_if_t<is_network_v<Net>, int> = 0>
checkpoint_restore_result restore_checkpoint(checkpoint_slots_view slots, Net&& net) {
    const checkpoint_scan s = scan_checkpoints(slots, net);
    checkpoint_restore_result r;
    r.slot_status[0] = s.slot_status[0];
    r.slot_status[1] = s.slot_status[1];
    if (s.newest < 0) {
        r.status = restore_status::no_valid_checkpoint;
        return r;
    }
    // Checked above; load_blob checks again (the cost of one more CRC pass) rather than trust a
    // scan of bytes that an interrupt or DMA could have changed since.
    if (load_blob(slots.slot[s.newest], slots.size, net) != blob_status::ok) {
        r.status = restore_status::no_valid_checkpoint;
        return r;
    }
    r.slot = s.newest;
    r.sequence = s.sequence;
    return r;
}

}  // namespace twolayer
