// The BullMQ side of Arq's benchmark. Usage: node bench.mjs <case> <redis port> <jobs> [concurrency]
// Prints one JSON line with the figures of that case; Arq.Bench runs it and compares.
import { Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';

const [, , mode, port, countText, concurrencyText] = process.argv;
const count = Number(countText);
const concurrency = Number(concurrencyText ?? 50);
const connection = { host: '127.0.0.1', port: Number(port) };
const queueName = 'bench';
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
const report = (figures) => { console.log(JSON.stringify({ ...figures, peakRssMb: process.resourceUsage().maxRSS / 1024 })); };

// The original arq benchmark's two kinds of job.
function fast() { let x = 1; for (let i = 1; i <= 10; i++) x *= i; return x; }
function bigArgument(i) {
  const map = {};
  for (let k = 0; k < 100; k++) map[k] = randomBytes(i % 100).toString('base64');
  for (let k = 0; k < 100; k++) map[`s${k}`] = Array.from({ length: k }, (_, n) => n);
  return map;
}
function swap(map) {
  const swapped = {};
  for (const [k, v] of Object.entries(map)) swapped[Array.isArray(v) ? v.join(',') : String(v)] = String(k);
  return swapped;
}
const originalJobs = () => Array.from({ length: count }, (_, i) => i % 2 === 0 ? { name: 'fast', data: {} } : { name: 'big', data: bigArgument(i) });

async function drain(processor, jobs) {
  const start = process.hrtime.bigint();
  let done = 0;
  await new Promise((resolve) => {
    const worker = new Worker(queueName, processor, { connection, concurrency });
    worker.on('completed', () => { if (++done === jobs) { worker.close().then(resolve); } });
  });
  return seconds(start);
}

const queue = new Queue(queueName, { connection });
switch (mode) {
  case 'enqueue-single': {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await queue.add('noop', { i });
    report({ seconds: seconds(start) });
    break;
  }
  case 'enqueue-batch': {
    const jobs = Array.from({ length: count }, (_, i) => ({ name: 'noop', data: { i } }));
    const start = process.hrtime.bigint();
    await queue.addBulk(jobs);
    report({ seconds: seconds(start) });
    break;
  }
  case 'drain':
    report({ seconds: await drain(async () => null, count) });
    break;
  case 'original-enqueue': {
    const jobs = originalJobs();
    const start = process.hrtime.bigint();
    for (const job of jobs) await queue.add(job.name, job.data);
    report({ seconds: seconds(start) });
    break;
  }
  case 'original-drain':
    report({ seconds: await drain(async (job) => job.name === 'fast' ? fast() : swap(job.data), count) });
    break;
  case 'latency': {
    // An idle worker; each job is enqueued after the previous one started, carrying its enqueue time.
    const latencies = [];
    let started;
    const worker = new Worker(queueName, async (job) => {
      latencies.push(Number(process.hrtime.bigint() - BigInt(job.data.t)) / 1e6);
      started();
    }, { connection, concurrency: 1 });
    await worker.waitUntilReady();
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < count; i++) {
      const running = new Promise((resolve) => { started = resolve; });
      await queue.add('ping', { t: process.hrtime.bigint().toString() });
      await running;
    }
    await worker.close();
    latencies.sort((a, b) => a - b);
    report({ p50Ms: latencies[Math.floor(count * 0.5)], p99Ms: latencies[Math.floor(count * 0.99)] });
    break;
  }
  default:
    throw new Error(`unknown case ${mode}`);
}
await queue.close();
