// Two-slot checkpoints (io/checkpoint.hpp), on every preset:
//   - power loss: an online SGD run (float erf student, P = 4, against a P* = 2 teacher, N = 16,
//     hidden biases on) checkpoints every K steps and loses power at random points, either between
//     checkpoints or in the middle of a checkpoint's write, cut at a random byte, the rest of the
//     slot left as it was or erased to 0xFF first (flash); after each "restart" restore must give
//     exactly the last fully written checkpoint (the weights compared byte for byte with a copy
//     the test kept, and its sequence number), never a torn one, or no checkpoint before the
//     first, with the network untouched. Training goes on from what was restored. 2000 power
//     losses on the host, 200 on ARM (a fixed seed);
//   - sequence numbers wrap (0 is newer than 0xFFFFFFFF), the serial-number comparison itself;
//   - neither slot good (erased, or another network's blobs): no_valid_checkpoint, network
//     untouched, the next save goes to slot 0 with sequence 0; a corrupt newest slot falls back to
//     the older; a slot too small or a NaN network: save refused, the slots unchanged.
#include "blob_test_util.hpp"

using namespace twolayer;

namespace {

#if defined(__arm__) || defined(__aarch64__)
constexpr int power_losses = 200;  // under QEMU (0.2 s for 50 on the Cortex-M4)
#else
constexpr int power_losses = 2000;
#endif

constexpr index_t N = 16, P = 4, PT = 2, K = 8;
using Student = network<float, N, P, act::erf>;
constexpr std::size_t blob_bytes = blob_size<Student>();
constexpr std::size_t slot_bytes = blob_bytes + 8;  // a sector a little larger than the blob

struct flash {
    std::uint8_t slot0[slot_bytes], slot1[slot_bytes];
    checkpoint_slots slots() { return {{slot0, slot1}, slot_bytes}; }
    void erase() {
        std::memset(slot0, 0xFF, slot_bytes);
        std::memset(slot1, 0xFF, slot_bytes);
    }
};

}  // namespace

TL_TEST(power_loss_restores_last_complete_checkpoint) {
    static tl_test::teacher_student<float, N, P, PT> f(2026);
    static Student initial, kept, restarted;
    static flash fl;
    static std::uint8_t blob[blob_bytes];
    fl.erase();
    f.student.use_hidden_bias(true);
    initial = f.student;
    bool have_kept = false;  // whether a checkpoint was ever completed
    std::uint32_t kept_sequence = 0;
    philox4x32 chance(7);
    online_sgd<float> sgd;
    int torn = 0, torn_complete = 0, old_intact = 0, between = 0, wrong = 0, refused = 0, skipped[16] = {};
    for (int loss = 0; loss < power_losses; ++loss) {
        // Run a few whole checkpoint intervals, then lose power.
        const std::uint32_t intervals = chance.below(4);
        for (std::uint32_t i = 0; i < intervals; ++i) {
            for (index_t s = 0; s < K; ++s) {
                const auto& x = f.draw();
                refused += !sgd.step(f.student, x, f.teacher.forward(x));
            }
            const checkpoint_save_result w = save_checkpoint(fl.slots(), f.student);
            TL_REQUIRE(w.ok());
            kept = f.student;
            kept_sequence = w.sequence;
            have_kept = true;
        }
        if (chance.below(2) == 0) {
            // Power fails after a few steps, before the next checkpoint: nothing is being written.
            for (std::uint32_t s = chance.below(K); s > 0; --s) {
                const auto& x = f.draw();
                refused += !sgd.step(f.student, x, f.teacher.forward(x));
            }
            ++between;
        } else {
            // Power fails while the next checkpoint is written: its first `cut` bytes reach the
            // slot, the rest is as it was, or erased when the slot was erased before the write.
            for (index_t s = 0; s < K; ++s) {
                const auto& x = f.draw();
                refused += !sgd.step(f.student, x, f.teacher.forward(x));
            }
            const checkpoint_plan plan = plan_checkpoint(fl.slots(), f.student);
            TL_REQUIRE(save_blob(f.student, blob, blob_bytes, plan.sequence).ok());
            std::uint8_t* slot = plan.slot == 0 ? fl.slot0 : fl.slot1;
            if (chance.below(2) == 0) std::memset(slot, 0xFF, slot_bytes);
            const std::size_t cut = chance.below(std::uint32_t(blob_bytes));
            std::memcpy(slot, blob, cut);
            ++torn;
            // The bytes left may happen to be the new blob's own (its last byte equal to the old
            // one's): then the write is complete after all, and the new checkpoint is the last.
            if (std::memcmp(slot, blob, blob_bytes) == 0) {
                ++torn_complete;
                kept = f.student;
                kept_sequence = plan.sequence;
                have_kept = true;
            } else {
                // A cut before the first byte that differs from the slot's old blob leaves that
                // older checkpoint whole (it still validates, with its own sequence); anything
                // else must fail its check.
                const blob_parse c = check_blob(slot, slot_bytes, f.student);
                if (c.ok() && c.header.sequence != plan.sequence) ++old_intact;
                else ++skipped[int(c.status) & 15];
            }
        }
        // Restart: a fresh network of the same shape restores from the slots.
        restarted = Student();
        restarted.use_hidden_bias(true);
        const tl_test::object_bytes<Student> before(restarted);
        const checkpoint_restore_result r = restore_checkpoint(fl.slots(), restarted);
        bool right;
        if (have_kept) {
            right = r.ok() && r.sequence == kept_sequence && tl_test::weight_snapshot<Student>(kept).same_as(restarted);
            f.student = restarted;
        } else {
            right = r.status == restore_status::no_valid_checkpoint && before.same_as(restarted);
            f.student = initial;
        }
        wrong += !right;
        if (!right && wrong < 5) TL_INFO("    power loss %d: restore wrong (status %d)\n", loss, int(r.status));
    }
    TL_INFO("    %d power losses: %d in a write (%d complete by chance), %d between; last sequence %u\n",
            power_losses, torn, torn_complete, between, unsigned(kept_sequence));
    TL_INFO("    torn slots seen as: bad_magic %d, unknown_version %d, truncated %d, checksum_mismatch %d; cut "
            "before the first changed byte (the older blob intact) %d\n",
            skipped[int(blob_status::bad_magic)], skipped[int(blob_status::unknown_version)],
            skipped[int(blob_status::truncated)],
            skipped[int(blob_status::checksum_mismatch)], old_intact);
    TL_CHECK(wrong == 0);
    TL_CHECK(refused == 0);
    TL_CHECK(torn > power_losses / 4 && between > power_losses / 4);
    TL_CHECK(skipped[int(blob_status::ok)] == 0);  // no torn slot ever validated as the new one
}

TL_TEST(sequence_numbers_wrap) {
    TL_CHECK(sequence_newer(1, 0));
    TL_CHECK(!sequence_newer(0, 1));
    TL_CHECK(sequence_newer(0, 0xFFFFFFFFu));
    TL_CHECK(!sequence_newer(0xFFFFFFFFu, 0));
    TL_CHECK(!sequence_newer(5, 5));
    TL_CHECK(sequence_newer(0x7FFFFFFFu, 0) && !sequence_newer(0x80000000u, 0) && !sequence_newer(0, 0x80000000u));
    static Student net, back;
    static flash fl;
    fl.erase();
    tl_test::random_network(net, 5, false, false);
    TL_REQUIRE(save_blob(net, fl.slot0, slot_bytes, 0xFFFFFFFFu).ok());
    tl_test::random_network(net, 6, false, false);
    const checkpoint_save_result w = save_checkpoint(fl.slots(), net);
    TL_CHECK(w.ok() && w.slot == 1 && w.sequence == 0);
    const checkpoint_restore_result r = restore_checkpoint(fl.slots(), back);
    TL_CHECK(r.ok() && r.slot == 1 && r.sequence == 0);
    TL_CHECK(tl_test::weight_snapshot<Student>(net).same_as(back));
    const checkpoint_save_result w2 = save_checkpoint(fl.slots(), net);
    TL_CHECK(w2.slot == 0 && w2.sequence == 1);
}

TL_TEST(no_valid_checkpoint_and_fallback) {
    static Student net, dst;
    static flash fl;
    fl.erase();
    tl_test::random_network(net, 8);
    tl_test::random_network(dst, 9);
    const tl_test::object_bytes<Student> before(dst);
    checkpoint_restore_result r = restore_checkpoint(fl.slots(), dst);
    TL_CHECK(r.status == restore_status::no_valid_checkpoint && before.same_as(dst));
    TL_CHECK(r.slot_status[0] == blob_status::bad_magic && r.slot_status[1] == blob_status::bad_magic);
    TL_CHECK(plan_checkpoint(fl.slots(), net).slot == 0 && plan_checkpoint(fl.slots(), net).sequence == 0);
    // Both slots hold another network's blobs (tanh units): not good for this one.
    static network<float, N, P, act::tanh> tanh_net;
    tanh_net.use_hidden_bias(true), tanh_net.use_output_bias(true);
    TL_REQUIRE(save_blob(tanh_net, fl.slot0, slot_bytes, 3).ok());
    TL_REQUIRE(save_blob(tanh_net, fl.slot1, slot_bytes, 4).ok());
    r = restore_checkpoint(fl.slots(), dst);
    TL_CHECK(r.status == restore_status::no_valid_checkpoint && before.same_as(dst));
    TL_CHECK(r.slot_status[0] == blob_status::activation_mismatch);
    // Two checkpoints of net; the newer one corrupted: the older is restored.
    TL_REQUIRE(save_checkpoint(fl.slots(), net).ok());  // slot 0, sequence 0
    tl_test::random_network(net, 10);
    const checkpoint_save_result w = save_checkpoint(fl.slots(), net);
    TL_REQUIRE(w.ok() && w.slot == 1 && w.sequence == 1);
    fl.slot1[blob_layout::header_size + 5] ^= 0x10;
    r = restore_checkpoint(fl.slots(), dst);
    TL_CHECK(r.ok() && r.slot == 0 && r.sequence == 0 && r.slot_status[1] == blob_status::checksum_mismatch);
    // The next save overwrites the corrupt slot, not the good one.
    const checkpoint_plan plan = plan_checkpoint(fl.slots(), net);
    TL_CHECK(plan.slot == 1 && plan.sequence == 1);
}

TL_TEST(save_refused_leaves_the_slots) {
    static Student net;
    static flash fl;
    fl.erase();
    tl_test::random_network(net, 12);
    TL_REQUIRE(save_checkpoint(fl.slots(), net).ok());
    static flash copy;
    copy = fl;
    checkpoint_slots small = fl.slots();
    small.size = blob_bytes - 1;
    TL_CHECK(save_checkpoint(small, net).status == blob_status::too_small);
    const std::uint32_t inf_bits = 0x7F800000u;
    std::memcpy(&net.W_mut()(1, 2), &inf_bits, 4);
    TL_CHECK(save_checkpoint(fl.slots(), net).status == blob_status::nonfinite_value);
    TL_CHECK(std::memcmp(&copy, &fl, sizeof fl) == 0);
}
