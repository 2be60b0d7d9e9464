/**
 * A queue that runs one callback per macrotask. Drawing a dozen charts in one go blocked the
 * main thread for ~200 ms when a training result arrived; one chart per task keeps each piece
 * of work short so typing, scrolling and the cancel button stay responsive.
 */
const queue: (() => void)[] = [];
let scheduled = false;

function runNext(): void {
	const next = queue.shift();
	if (next) next();
	if (queue.length) setTimeout(runNext, 0);
	else scheduled = false;
}

/** Runs `fn` after everything queued before it, each in its own task. Returns a canceller. */
export function deferTask(fn: () => void): () => void {
	let cancelled = false;
	queue.push(() => {
		if (!cancelled) fn();
	});
	if (!scheduled) {
		scheduled = true;
		setTimeout(runNext, 0);
	}
	return () => {
		cancelled = true;
	};
}
