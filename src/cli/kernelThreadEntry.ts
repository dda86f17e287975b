import { parentPort } from 'node:worker_threads';
import { runKernelThread, type KernelThreadStart } from '../ml/fused/kernelThread.ts';

/** A Node helper thread of the fused kernel (see `nodeKernelThreadHost`): one start message, then the loop. */
parentPort?.once('message', (start: KernelThreadStart) => void runKernelThread(start, 'block'));
