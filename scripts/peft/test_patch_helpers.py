"""Hand-worked checks of patch_helpers.py (python3 -m unittest test_patch_helpers).

The comparison with the lab's TypeScript on shared numbers is in
helpers.test.ts; these are the cases small enough to work out on paper.
"""

import math
import unittest

import torch

import patch_helpers as H


class Schedule(unittest.TestCase):
    def test_warmup_then_cosine_to_the_floor(self):
        # peak 1, 2 warmup steps, 5 in all: 1/2, 1, then cosine over steps 2..4 down to 0.
        got = [H.lr_at(1.0, 2, 5, "cosine", 0.0, k) for k in range(5)]
        for a, b in zip(got, [0.5, 1.0, 1.0, 0.5, 0.0]):
            self.assertAlmostEqual(a, b, places=12)

    def test_unknown_decay_is_refused(self):
        with self.assertRaises(ValueError):
            H.lr_at(1.0, 0, 5, "exponential", 0.0, 2)


class Losses(unittest.TestCase):
    def test_dpo_loss_is_log_2_where_policy_equals_reference(self):
        pc = torch.tensor([-3.0, -7.0])
        loss = H.dpo_loss(pc, pc - 1, [-3.0, -7.0], [-4.0, -8.0], 0.1)
        self.assertAlmostEqual(float(loss), math.log(2), places=6)

    def test_sft_loss_weights_by_tokens(self):
        # -(-2 - 3) / (1 + 3) = 5/4, not the mean of per-row means (2 + 1) / 2.
        loss = H.sft_loss(torch.tensor([-2.0, -3.0]), [1, 3])
        self.assertAlmostEqual(float(loss), 5.0 / 4.0, places=6)
        with self.assertRaises(ValueError):
            H.sft_loss(torch.tensor([0.0]), [0])

    def test_chosen_nll_is_the_mean_of_per_answer_means(self):
        # -(-6/3 + -2/4) / 2 = 1.25; the per-token mean would be 8/7 instead.
        loss = H.chosen_nll_loss(torch.tensor([-6.0, -2.0]), [3, 4])
        self.assertAlmostEqual(float(loss), 1.25, places=6)
        # An empty answer counts 0 but still counts as a pair: -(-4/2 + 0) / 2 = 1.
        self.assertAlmostEqual(float(H.chosen_nll_loss(torch.tensor([-4.0, 0.0]), [2, 0])), 1.0, places=6)
        with self.assertRaises(ValueError):
            H.chosen_nll_loss(torch.tensor([]), [])

    def test_margin_filter_per_token_and_empty_answers(self):
        pairs = [
            {"ref_chosen": -2.0, "ref_rejected": -9.0, "chosen_tokens": 2, "rejected_tokens": 3},  # -1 - -3 = 2
            {"ref_chosen": -6.0, "ref_rejected": -2.0, "chosen_tokens": 2, "rejected_tokens": 2},  # -3 - -1 = -2
            {"ref_chosen": 0.0, "ref_rejected": -4.0, "chosen_tokens": 0, "rejected_tokens": 4},  # 0 - -1 = 1
            {"ref_chosen": float("nan"), "ref_rejected": -1.0, "chosen_tokens": 1, "rejected_tokens": 1},
        ]
        self.assertEqual(H.filter_pairs_by_margin(pairs, 0.0), ([0, 2], 2))
        self.assertEqual(H.filter_pairs_by_margin(pairs, 1.5), ([0], 3))

    def test_clip_scales_to_max_norm_exactly(self):
        g = torch.tensor([3.0, 4.0])
        self.assertAlmostEqual(H.clip_by_global_norm([g], 1.0), 5.0)
        self.assertEqual(g.tolist(), [0.6000000238418579, 0.800000011920929])
        h = torch.tensor([3.0, 4.0])
        H.clip_by_global_norm([h], 0)
        self.assertEqual(h.tolist(), [3.0, 4.0])


class LogProbs(unittest.TestCase):
    def test_virtual_token_logits_are_sliced_off(self):
        # 2 virtual tokens, tokens [0, 1], vocab 2. The logit predicting token t
        # sits at position 2 + t - 1. Position 1 says [0, ln 3] (p(1) = 3/4),
        # position 2 says [ln 3, 0] (p(1) = 1/4); position 0 (a virtual token's
        # own prediction) and 3 (after the last token) must not be used.
        logits = torch.tensor([[[9.0, -9.0], [0.0, math.log(3)], [math.log(3), 0.0], [9.0, -9.0]]])
        ids = torch.tensor([[1, 1]])
        lp = H.token_logprobs(logits, ids, 2)
        self.assertAlmostEqual(float(lp[0, 0]), math.log(0.75), places=6)
        self.assertAlmostEqual(float(lp[0, 1]), math.log(0.25), places=6)
        answer = torch.tensor([[False, True]])
        sums, counts = H.answer_logprob_sums(logits, ids, answer, 2)
        self.assertAlmostEqual(float(sums[0]), math.log(0.25), places=6)
        self.assertEqual(counts.tolist(), [1])
        self.assertAlmostEqual(H.hand_answer_logprob_sums(logits, ids, answer, 2)[0], math.log(0.25), places=6)

    def test_logits_without_the_virtual_tokens_are_refused(self):
        with self.assertRaises(ValueError):
            H.token_logprobs(torch.zeros(1, 2, 3), torch.tensor([[1, 2]]), 2)

    def test_right_padding_marks_answer_tokens(self):
        ids, attention, answer = H.right_pad([[5, 6], [7]], [[8], [9, 10, 11]], pad_id=0)
        self.assertEqual(ids.tolist(), [[5, 6, 8, 0], [7, 9, 10, 11]])
        self.assertEqual(attention.tolist(), [[1, 1, 1, 0], [1, 1, 1, 1]])
        self.assertEqual(answer.tolist(), [[False, False, True, False], [False, True, True, True]])


class Data(unittest.TestCase):
    def test_cursor_sees_every_example_once_per_epoch(self):
        c = H.DataCursor(5, seed=3)
        first, second = c.take(5), c.take(5)
        self.assertEqual(sorted(first), list(range(5)))
        self.assertEqual(sorted(second), list(range(5)))
        self.assertEqual(c.epoch, 1)
        self.assertEqual(len(H.DataCursor(2, seed=1).take(5)), 5)

    def test_safe_prompts_train_with_harmful(self):
        self.assertTrue(H.trains_in("safe", ["harmful"]))
        self.assertFalse(H.trains_in("safe", ["toxicity", "bias"]))
        self.assertEqual(H.truncate_prompt([1, 2, 3, 4], 2), [3, 4])


if __name__ == "__main__":
    unittest.main()
