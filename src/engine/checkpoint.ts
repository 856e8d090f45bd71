// Gradient checkpointing for one block of a frozen model: the forward keeps
// only the block's input; the backward recomputes the block under a fresh
// gradient tape and backpropagates through that copy. tf.customGrad runs its
// forward with the tape off and frees every intermediate, which is exactly
// the memory this saves (all of a layer's attention and MLP activations). A
// Llama layer's recompute runs under that tape, so it takes the hand-written
// backward (llama-layer.ts): one layer's saved set, not its whole tape.
import { tf } from './tf';

/**
 * f(x) whose backward recomputes f. Gradients flow to x only: weights f
 * closes over are treated as constants, so use it for frozen weights.
 */
export function checkpointed(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([xi]);
    return {
      value: f(xi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // tfjs 4.22 runs a gradient inside a backward pass on a fresh tape
        // and sets the engine's tape to null when done, which makes the outer
        // backward crash at its cleanup (and leak its saved tensors); so the
        // outer tape is put back.
        const state = tf.engine().state;
        const outerTape = state.activeTape;
        try {
          return tf.grad((xr: tf.Tensor) => tf.sum(tf.mul(f(xr), dy)))(saved[0]);
        } finally {
          state.activeTape = outerTape;
        }
      },
    };
  }) as unknown as (xi: tf.Tensor) => tf.Tensor;
  return op(x);
}
