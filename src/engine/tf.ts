// The single entry point to TensorFlow.js for the whole project. tfjs-core on
// its own registers neither gradients nor the chained tensor methods
// (x.reshape(...)); importing them here once means every module that does
// `import { tf } from '../engine/tf'` gets a complete library.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export { tf };
