// The WebAssembly text of the k-means kernels (kmeans-kernels.ts has the same loops in
// TypeScript): the data check's sums, the seeding passes and draws, the Lloyd and Hamerly
// assignment steps, and the inertia.
// scripts/build-wasm.mjs compiles it into kmeans-wasm-bytes.ts; a unit test checks the two agree.
//
// Written as a small generator rather than a .wat file because the distance loops must be
// inlined where they are used (a call per distance cost a quarter of the seeding time in V8),
// and WebAssembly text has no macros: `distance` and `distances` below write them once. Where a
// row meets several centres or candidates, `distances` runs 2–5 independent accumulators side by
// side, which about halved the time of a seeding round.
//
// Choosing the nearest centre and updating seeding's distances use select and f64.min rather
// than branches, since the outcome is close to a coin toss for rows near a boundary. (f64.min
// agrees with the comparisons in TypeScript: there is no NaN, and no −0 among squared
// distances.)
//
// Every squared distance is summed exactly as dist2 in kmeans-matrix.ts does it, so both engines
// give bit-identical results: features four at a time, (u0² + u2²) into lane 0 and (u1² + u3²)
// into lane 1 of one f64x2 accumulator, the remaining features one by one into lane 0, and
// lane 0 + lane 1 at the end. WebAssembly SIMD has no fused multiply-add, so each product is
// rounded before it is added, as in JavaScript.
//
// Pointers are byte offsets into the exported memory; `qb` is the byte length of a row's whole
// quads of features (8 × (d − d mod 4)) and `rb` the byte length of a row (8 × d).

/** Locals shared by `distance` and `distances`. */
const BASE_LOCALS = `(local $pa i32) (local $pb i32) (local $aq i32) (local $ae i32)
    (local $u0 v128) (local $u1 v128) (local $uu f64)`;
/** The rest of what `distance` needs. */
const DISTANCE_ONLY = '(local $dacc v128) (local $dsum f64)';
const DIST_LOCALS = `${BASE_LOCALS} ${DISTANCE_ONLY}`;

let labels = 0;

/**
 * Sets $out to the squared distance between the rows at byte offsets `a` and `b`.
 * @param {string} out local to set
 * @param {string} a expression: byte offset of the row
 * @param {string} b expression: byte offset of the centre
 */
function distance(out, a, b) {
	const id = labels++;
	return `(local.set $pa ${a})
    (local.set $pb ${b})
    (local.set $aq (i32.add (local.get $pa) (local.get $qb)))
    (local.set $ae (i32.add (local.get $pa) (local.get $rb)))
    (local.set $dacc (v128.const f64x2 0 0))
    (block $quads_done${id}
      (loop $quads${id}
        (br_if $quads_done${id} (i32.ge_u (local.get $pa) (local.get $aq)))
        (local.set $u0 (f64x2.sub (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $u1
          (f64x2.sub (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (local.set $dacc
          (f64x2.add (local.get $dacc)
            (f64x2.add (f64x2.mul (local.get $u0) (local.get $u0))
                       (f64x2.mul (local.get $u1) (local.get $u1)))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (br $quads${id})))
    (local.set $dsum (f64x2.extract_lane 0 (local.get $dacc)))
    (block $rest_done${id}
      (loop $rest${id}
        (br_if $rest_done${id} (i32.ge_u (local.get $pa) (local.get $ae)))
        (local.set $uu (f64.sub (f64.load (local.get $pa)) (f64.load (local.get $pb))))
        (local.set $dsum (f64.add (local.get $dsum) (f64.mul (local.get $uu) (local.get $uu))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
        (br $rest${id})))
    (local.set ${out} (f64.add (local.get $dsum) (f64x2.extract_lane 1 (local.get $dacc))))`;
}

/**
 * Sets $s0..$s{m−1} to the squared distances from the row at `a` to the m rows whose byte
 * offsets are in locals $c0..$c{m−1}: one pass over the row's features with m independent
 * accumulators (each summed exactly as in distance), so the m chains overlap.
 * @param {number} m
 * @param {string} a expression: byte offset of the row
 */
function distances(m, a) {
	const id = labels++;
	const ts = Array.from({ length: m }, (_, t) => t);
	/** @param {(t: number) => string} f */
	const each = (f) => ts.map(f).join('\n        ');
	return `(local.set $pa ${a})
    (local.set $aq (i32.add (local.get $pa) (local.get $qb)))
    (local.set $ae (i32.add (local.get $pa) (local.get $rb)))
    (local.set $off (i32.const 0))
    ${ts.map((t) => `(local.set $acc${t} (v128.const f64x2 0 0))`).join('\n    ')}
    (block $quads_done${id}
      (loop $quads${id}
        (br_if $quads_done${id} (i32.ge_u (local.get $pa) (local.get $aq)))
        (local.set $x0 (v128.load (local.get $pa)))
        (local.set $x1 (v128.load offset=16 (local.get $pa)))
        ${each(
					(t) => `(local.set $pb (i32.add (local.get $c${t}) (local.get $off)))
        (local.set $u0 (f64x2.sub (local.get $x0) (v128.load (local.get $pb))))
        (local.set $u1 (f64x2.sub (local.get $x1) (v128.load offset=16 (local.get $pb))))
        (local.set $acc${t}
          (f64x2.add (local.get $acc${t})
            (f64x2.add (f64x2.mul (local.get $u0) (local.get $u0))
                       (f64x2.mul (local.get $u1) (local.get $u1)))))`
				)}
        (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
        (local.set $off (i32.add (local.get $off) (i32.const 32)))
        (br $quads${id})))
    ${ts.map((t) => `(local.set $s${t} (f64x2.extract_lane 0 (local.get $acc${t})))`).join('\n    ')}
    (block $rest_done${id}
      (loop $rest${id}
        (br_if $rest_done${id} (i32.ge_u (local.get $pa) (local.get $ae)))
        (local.set $xs (f64.load (local.get $pa)))
        ${each(
					(
						t
					) => `(local.set $uu (f64.sub (local.get $xs) (f64.load (i32.add (local.get $c${t}) (local.get $off)))))
        (local.set $s${t} (f64.add (local.get $s${t}) (f64.mul (local.get $uu) (local.get $uu))))`
				)}
        (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
        (local.set $off (i32.add (local.get $off) (i32.const 8)))
        (br $rest${id})))
    ${ts.map((t) => `(local.set $s${t} (f64.add (local.get $s${t}) (f64x2.extract_lane 1 (local.get $acc${t}))))`).join('\n    ')}`;
}

/**
 * What `distances(m, …)` needs beyond BASE_LOCALS.
 * @param {number} m
 */
function multiOnly(m) {
	const ts = Array.from({ length: m }, (_, t) => t);
	return `(local $off i32) (local $x0 v128) (local $x1 v128) (local $xs f64)
    ${ts.map((t) => `(local $acc${t} v128) (local $s${t} f64)`).join(' ')}`;
}

/**
 * A counted loop over i = 0..n−1 (the body must not branch out of it).
 * @param {string} body
 * @param {string} [extra] after the body (advancing pointers)
 */
function forRows(body, extra = '') {
	const id = labels++;
	return `(block $rows_done${id}
      (loop $rows${id}
        (br_if $rows_done${id} (i32.ge_u (local.get $i) (local.get $n)))
        ${body}
        ${extra}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows${id})))`;
}

/** @type {(base: string, index: string) => string} */
const f64At = (base, index) =>
	`(f64.load (i32.add (local.get ${base}) (i32.shl ${index} (i32.const 3))))`;
/** @type {(base: string, index: string) => string} */
const i32At = (base, index) =>
	`(i32.load (i32.add (local.get ${base}) (i32.shl ${index} (i32.const 2))))`;
const nextRow = '(local.set $x (i32.add (local.get $x) (local.get $rb)))';

/**
 * One round of greedy k-means++ for exactly L candidates: each row's squared distance to each
 * candidate into trial[t·n + i], and into pots[t] the potential the candidate would give,
 * Σ min(D², distance), in row order. Candidate pointers, output pointers and potentials live in
 * locals; the L distances of a row are computed side by side.
 * @param {number} L
 */
function seedTrials(L) {
	const ts = Array.from({ length: L }, (_, t) => t);
	return `(func (export "seed_trials_${L}") (param $x i32) (param $n i32) (param $qb i32)
    (param $rb i32) (param $cand i32) (param $closest i32) (param $trial i32) (param $pots i32)
    (local $i i32) (local $cur f64)
    ${ts.map((t) => `(local $c${t} i32) (local $to${t} i32) (local $pot${t} f64)`).join(' ')}
    ${BASE_LOCALS} ${multiOnly(L)}
    ${ts
			.map(
				(t) => `(local.set $c${t} ${i32At('$cand', `(i32.const ${t})`)})
    (local.set $to${t} (i32.add (local.get $trial) (i32.mul (local.get $n) (i32.const ${8 * t}))))
    (local.set $pot${t} ${f64At('$pots', `(i32.const ${t})`)})`
			)
			.join('\n    ')}
    ${forRows(
			`(local.set $cur ${f64At('$closest', '(local.get $i)')})
        ${distances(L, '(local.get $x)')}
        ${ts
					.map(
						(t) => `(f64.store (local.get $to${t}) (local.get $s${t}))
        (local.set $pot${t}
          (f64.add (local.get $pot${t})
            (select (local.get $s${t}) (local.get $cur) (f64.lt (local.get $s${t}) (local.get $cur)))))
        (local.set $to${t} (i32.add (local.get $to${t}) (i32.const 8)))`
					)
					.join('\n        ')}`,
			nextRow
		)}
    ${ts
			.map(
				(t) => `(f64.store (i32.add (local.get $pots) (i32.const ${8 * t})) (local.get $pot${t}))`
			)
			.join('\n    ')})`;
}

/**
 * Distances from the row at $x to every centre at $C: four at a time side by side, then the
 * remaining one to three singly. `onEach(t)` runs for centre $j + t with its squared distance in
 * $s{t}, in centre order.
 * @param {(t: number) => string} onEach
 */
function scanCentres(onEach) {
	const id = labels++;
	return `(local.set $j (i32.const 0))
    (block $chunks_done${id}
      (loop $chunks${id}
        (br_if $chunks_done${id}
          (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $k)))
        (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $j) (local.get $rb))))
        (local.set $c1 (i32.add (local.get $c0) (local.get $rb)))
        (local.set $c2 (i32.add (local.get $c1) (local.get $rb)))
        (local.set $c3 (i32.add (local.get $c2) (local.get $rb)))
        ${distances(4, '(local.get $x)')}
        ${[0, 1, 2, 3].map(onEach).join('\n        ')}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $chunks${id})))
    (block $single_done${id}
      (loop $single${id}
        (br_if $single_done${id} (i32.ge_u (local.get $j) (local.get $k)))
        ${distance('$s0', '(local.get $x)', '(i32.add (local.get $C) (i32.mul (local.get $j) (local.get $rb)))')}
        ${onEach(0)}
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $single${id})))`;
}

const SCAN_LOCALS = `(local $j i32) (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $lt i32) ${BASE_LOCALS} ${DISTANCE_ONLY} ${multiOnly(4)}`;

/**
 * sums[$so …] op= row[$xo …] over the row's features, two at a time, then the odd one.
 * @param {'f64.add' | 'f64.sub'} op
 */
function pairwise(op) {
	const id = labels++;
	const simd = op.replace('f64.', 'f64x2.');
	return `(local.set $a (local.get $xo))
            (local.set $se (i32.add (local.get $so) (local.get $rb)))
            (local.set $pe (i32.add (local.get $so) (i32.and (local.get $rb) (i32.const -16))))
            (block $pairs_done${id}
              (loop $pairs${id}
                (br_if $pairs_done${id} (i32.ge_u (local.get $so) (local.get $pe)))
                (v128.store (local.get $so) (${simd} (v128.load (local.get $so)) (v128.load (local.get $a))))
                (local.set $so (i32.add (local.get $so) (i32.const 16)))
                (local.set $a (i32.add (local.get $a) (i32.const 16)))
                (br $pairs${id})))
            (if (i32.lt_u (local.get $so) (local.get $se))
              (then
                (f64.store (local.get $so) (${op} (f64.load (local.get $so)) (f64.load (local.get $a))))))`;
}

/**
 * One row's update in `moments` for the features at byte offset $a of the row: two at a time
 * (`pair`) or the odd last one.
 * @param {boolean} pair
 */
function momentsStep(pair) {
	const T = pair ? 'f64x2' : 'f64';
	const load = pair ? 'v128.load' : 'f64.load';
	const store = pair ? 'v128.store' : 'f64.store';
	const [v, t, bad] = pair ? ['$v', '$t', '$bad'] : ['$vs', '$ts', '$bads'];
	/** @param {string} value stored at $p, which then moves to the next block of sums */
	const update = (value) => `(${store} (local.get $p) ${value})
            (local.set $p (i32.add (local.get $p) (local.get $rb)))`;
	return `(local.set ${v} (${load} (i32.add (local.get $x) (local.get $a))))
            (local.set ${t} (${T}.sub (local.get ${v}) (${load} (i32.add (local.get $x0) (local.get $a)))))
            (local.set $p (i32.add (local.get $out) (local.get $a)))
            ${update(`(${T}.add (${load} (local.get $p)) (local.get ${t}))`)}
            ${update(`(${T}.add (${load} (local.get $p)) (${T}.mul (local.get ${t}) (local.get ${t})))`)}
            ${update(`(${T}.min (${load} (local.get $p)) (local.get ${v}))`)}
            (${store} (local.get $p) (${T}.max (${load} (local.get $p)) (local.get ${v})))
            (local.set ${bad} (${T}.add (local.get ${bad}) (${T}.sub (local.get ${v}) (local.get ${v}))))`;
}

/**
 * Row $i for every target ($targets[$next …], ascending) that the running sum $run has reached:
 * written to $rows, advancing $next (at most $L).
 */
const REACH_TARGETS = `(block $targets_done
          (loop $targets
            (br_if $targets_done (i32.ge_u (local.get $next) (local.get $L)))
            (br_if $targets_done (f64.gt ${f64At('$targets', '(local.get $next)')} (local.get $run)))
            (i32.store (i32.add (local.get $rows) (i32.shl (local.get $next) (i32.const 2)))
              (local.get $i))
            (local.set $next (i32.add (local.get $next) (i32.const 1)))
            (br $targets)))`;

/** Numbers of candidates per seeding round with their own kernel (2 + ⌊ln k⌋ for k ≤ 54). */
export const SEED_TRIALS = [2, 3, 4, 5];

export function kmeansWat() {
	labels = 0;
	return `(module
  (memory (export "memory") 1)

  ;; Moves the row at $xo from cluster $from (−1: none) to $to in the counts and running sums,
  ;; two features at a time (each lane adds exactly as TypeScript does); an emptied cluster
  ;; restarts from exact zeros.
  (func $move (param $xo i32) (param $from i32) (param $to i32) (param $counts i32)
    (param $sums i32) (param $rb i32)
    (local $cp i32) (local $c f64) (local $so i32) (local $a i32) (local $pe i32) (local $se i32)
    (if (i32.ge_s (local.get $from) (i32.const 0))
      (then
        (local.set $cp (i32.add (local.get $counts) (i32.shl (local.get $from) (i32.const 3))))
        (local.set $c (f64.sub (f64.load (local.get $cp)) (f64.const 1)))
        (f64.store (local.get $cp) (local.get $c))
        (local.set $so (i32.add (local.get $sums) (i32.mul (local.get $from) (local.get $rb))))
        (if (f64.eq (local.get $c) (f64.const 0))
          (then (memory.fill (local.get $so) (i32.const 0) (local.get $rb)))
          (else
            ${pairwise('f64.sub')}))))
    (local.set $cp (i32.add (local.get $counts) (i32.shl (local.get $to) (i32.const 3))))
    (f64.store (local.get $cp) (f64.add (f64.load (local.get $cp)) (f64.const 1)))
    (local.set $so (i32.add (local.get $sums) (i32.mul (local.get $to) (local.get $rb))))
    ${pairwise('f64.add')})

  ;; The per-feature sums of checkMatrix in kmeans-matrix.ts, two features at a time: at $out
  ;; Σ t, Σ t² (t = x − first row, in row order), then the smallest and largest values, each d
  ;; long; the caller zeroes the sums and puts the first row in both extremes. min/max agree
  ;; with the comparisons in TypeScript up to the sign of a zero, which the summary drops.
  ;; Returns 1, or 0 if any value is NaN or infinite (then the caller finds and names it).
  (func (export "moments") (param $x i32) (param $n i32) (param $rb i32) (param $out i32)
    (result i32)
    (local $i i32) (local $x0 i32) (local $a i32) (local $pb i32) (local $p i32)
    (local $v v128) (local $t v128) (local $bad v128) (local $vs f64) (local $ts f64)
    (local $bads f64)
    (local.set $x0 (local.get $x))
    ;; Bytes of whole pairs of features in a row.
    (local.set $pb (i32.and (local.get $rb) (i32.const -16)))
    ${forRows(
			`(local.set $a (i32.const 0))
        (block $pairs_done
          (loop $pairs
            (br_if $pairs_done (i32.ge_u (local.get $a) (local.get $pb)))
            ${momentsStep(true)}
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $pairs)))
        (if (i32.lt_u (local.get $a) (local.get $rb))
          (then
            ${momentsStep(false)}))`,
			nextRow
		)}
    (f64.eq
      (f64.add (local.get $bads)
        (f64.add (f64x2.extract_lane 0 (local.get $bad)) (f64x2.extract_lane 1 (local.get $bad))))
      (f64.const 0)))

    ;; Seeding's first pass: closest[i] = squared distance of row i to the row at $p; returns
  ;; their sum in row order.
  (func (export "seed_first") (param $x i32) (param $n i32) (param $qb i32) (param $rb i32)
    (param $p i32) (param $closest i32) (result f64)
    (local $i i32) (local $s f64) (local $pot f64)
    ${DIST_LOCALS}
    ${forRows(
			`${distance('$s', '(local.get $x)', '(local.get $p)')}
        (f64.store (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
        (local.set $pot (f64.add (local.get $pot) (local.get $s)))`,
			nextRow
		)}
    (local.get $pot))

  ;; A seeding round for any number $L of candidates (byte offsets at $cand), one at a time:
  ;; the same results as seed_trials_L.
  (func (export "seed_trials") (param $x i32) (param $n i32) (param $qb i32) (param $rb i32)
    (param $L i32) (param $cand i32) (param $closest i32) (param $trial i32) (param $pots i32)
    (local $i i32) (local $t i32) (local $cur f64) (local $to i32) (local $pp i32) (local $s f64)
    (local $stride i32)
    ${DIST_LOCALS}
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    ${forRows(
			`(local.set $cur ${f64At('$closest', '(local.get $i)')})
        (local.set $t (i32.const 0))
        (local.set $to (i32.add (local.get $trial) (i32.shl (local.get $i) (i32.const 3))))
        (block $trials_done
          (loop $trials
            (br_if $trials_done (i32.ge_u (local.get $t) (local.get $L)))
            (local.set $pp (i32.add (local.get $pots) (i32.shl (local.get $t) (i32.const 3))))
            ${distance('$s', '(local.get $x)', i32At('$cand', '(local.get $t)'))}
            (f64.store (local.get $to) (local.get $s))
            (f64.store (local.get $pp)
              (f64.add (f64.load (local.get $pp))
                (select (local.get $s) (local.get $cur) (f64.lt (local.get $s) (local.get $cur)))))
            (local.set $to (i32.add (local.get $to) (local.get $stride)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $trials)))`,
			nextRow
		)})

  ${SEED_TRIALS.map(seedTrials).join('\n\n  ')}

  ;; For each of the $L ascending $targets, the first row whose running sum of $weights reaches
  ;; it (NumPy's searchsorted over the cumulative sum) into $rows; stops once all are found.
  ;; Returns how many were reached.
  (func (export "sample") (param $weights i32) (param $n i32) (param $targets i32) (param $L i32)
    (param $rows i32) (result i32)
    (local $i i32) (local $run f64) (local $next i32)
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.ge_u (local.get $next) (local.get $L)))
        (local.set $run (f64.add (local.get $run) ${f64At('$weights', '(local.get $i)')}))
        ${REACH_TARGETS}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (local.get $next))

  ;; After a round: the winning candidate (its distances at $win) becomes centre $c. Each row's
  ;; nearest centre, squared distance and runner-up distance ($second) are updated without
  ;; branches (min/max give the same values as the comparisons in TypeScript: no NaN, and no
  ;; −0 among squared distances); per[i·k + c] is written when $hasPer; and for each of the $L
  ;; ascending $targets (none in the last round) the first row whose running sum of the updated
  ;; distances reaches it goes to $rows (NumPy's searchsorted over the cumulative sum). Returns
  ;; how many targets were reached; the rest lie past the end (rounding) and take the last row.
  (func (export "seed_commit") (param $n i32) (param $k i32) (param $c i32) (param $win i32)
    (param $closest i32) (param $second i32) (param $nearest i32) (param $per i32)
    (param $hasPer i32) (param $targets i32) (param $L i32) (param $rows i32) (result i32)
    (local $i i32) (local $v f64) (local $cur f64) (local $cp i32) (local $sp i32) (local $np i32)
    (local $run f64) (local $next i32) (local $nextTarget f64)
    (local.set $nextTarget (f64.const inf))
    (if (local.get $L) (then (local.set $nextTarget (f64.load (local.get $targets)))))
    ${forRows(
			`(local.set $v ${f64At('$win', '(local.get $i)')})
        (if (local.get $hasPer)
          (then
            (f64.store (i32.add (local.get $per)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $c)) (i32.const 3)))
              (local.get $v))))
        (local.set $cp (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $sp (i32.add (local.get $second) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $np (i32.add (local.get $nearest) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $cur (f64.load (local.get $cp)))
        (f64.store (local.get $sp) (f64.min (f64.load (local.get $sp)) (f64.max (local.get $v) (local.get $cur))))
        (i32.store (local.get $np)
          (select (local.get $c) (i32.load (local.get $np)) (f64.lt (local.get $v) (local.get $cur))))
        (local.set $cur (f64.min (local.get $v) (local.get $cur)))
        (f64.store (local.get $cp) (local.get $cur))
        (local.set $run (f64.add (local.get $run) (local.get $cur)))
        (if (f64.ge (local.get $run) (local.get $nextTarget))
          (then
            ${REACH_TARGETS}
            (local.set $nextTarget (f64.const inf))
            (if (i32.lt_u (local.get $next) (local.get $L))
              (then (local.set $nextTarget ${f64At('$targets', '(local.get $next)')})))))`
		)}
    (local.get $next))

  ;; Hamerly's first assignment, taken from seeding: labels, counts and sums from $near,
  ;; bounds from the squared distances to the nearest and (a lower bound on) the runner-up.
  (func (export "hamerly_start") (param $x i32) (param $n i32) (param $rb i32) (param $near i32)
    (param $closest i32) (param $second i32) (param $labels i32) (param $upper i32)
    (param $lower i32) (param $counts i32) (param $sums i32)
    (local $i i32) (local $a i32) (local $i8 i32)
    ${forRows(
			`(local.set $a ${i32At('$near', '(local.get $i)')})
        (call $move (local.get $x) (i32.const -1) (local.get $a) (local.get $counts)
          (local.get $sums) (local.get $rb))
        (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))) (local.get $a))
        (local.set $i8 (i32.shl (local.get $i) (i32.const 3)))
        (f64.store (i32.add (local.get $upper) (local.get $i8))
          (f64.sqrt (f64.load (i32.add (local.get $closest) (local.get $i8)))))
        (f64.store (i32.add (local.get $lower) (local.get $i8))
          (f64.sqrt (f64.load (i32.add (local.get $second) (local.get $i8)))))`,
			nextRow
		)})

  ;; Lloyd's assignment: every row to its nearest centre (lower index on ties), keeping the
  ;; running sums in step. Returns 1 if any label changed.
  (func (export "assign_lloyd") (param $x i32) (param $n i32) (param $qb i32) (param $rb i32)
    (param $C i32) (param $k i32) (param $labels i32) (param $counts i32) (param $sums i32)
    (result i32)
    (local $i i32) (local $best i32) (local $bestD f64) (local $lp i32) (local $a i32)
    (local $changed i32)
    ${SCAN_LOCALS}
    ${forRows(
			`(local.set $best (i32.const 0))
        (local.set $bestD (f64.const inf))
        ${scanCentres(
					(t) => `(local.set $lt (f64.lt (local.get $s${t}) (local.get $bestD)))
        (local.set $best
          (select (i32.add (local.get $j) (i32.const ${t})) (local.get $best) (local.get $lt)))
        (local.set $bestD (select (local.get $s${t}) (local.get $bestD) (local.get $lt)))`
				)}
        (local.set $lp (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $a (i32.load (local.get $lp)))
        (if (i32.ne (local.get $a) (local.get $best))
          (then
            (call $move (local.get $x) (local.get $a) (local.get $best) (local.get $counts)
              (local.get $sums) (local.get $rb))
            (i32.store (local.get $lp) (local.get $best))
            (local.set $changed (i32.const 1))))`,
			nextRow
		)}
    (local.get $changed))

  ;; Hamerly's assignment with bounds stored net of accumulated drift (hamerlyAssign in
  ;; kmeans-core.ts explains them; assignHamerly in kmeans-kernels.ts is the same loop).
  ;; $first: labels are all −1 and there are no bounds yet.
  (func (export "assign_hamerly") (param $x i32) (param $n i32) (param $qb i32) (param $rb i32)
    (param $C i32) (param $k i32) (param $labels i32) (param $upper i32) (param $lower i32)
    (param $cum i32) (param $cumOther i32) (param $s i32) (param $margin f64)
    (param $counts i32) (param $sums i32) (param $first i32) (result i32)
    (local $i i32) (local $a i32) (local $best i32) (local $bestSq f64) (local $u f64) (local $l f64)
    (local $m f64) (local $sa f64) (local $nextSq f64) (local $changed i32) (local $i8 i32)
    (local $lp i32) (local $own f64)
    ${SCAN_LOCALS}
    ${forRows(
			`(local.set $i8 (i32.shl (local.get $i) (i32.const 3)))
        (local.set $lp (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2))))
        (block $settled
          (local.set $a (i32.load (local.get $lp)))
          (if (i32.eqz (local.get $first))
            (then
              (local.set $u
                (f64.add (f64.load (i32.add (local.get $upper) (local.get $i8)))
                  ${f64At('$cum', '(local.get $a)')}))
              (local.set $l
                (f64.sub (f64.load (i32.add (local.get $lower) (local.get $i8)))
                  ${f64At('$cumOther', '(local.get $a)')}))
              (local.set $sa ${f64At('$s', '(local.get $a)')})
              (local.set $m
                (select (local.get $sa) (local.get $l) (f64.gt (local.get $sa) (local.get $l))))
              (br_if $settled (f64.lt (f64.add (local.get $u) (local.get $margin)) (local.get $m)))
              ;; Tighten the upper bound with the distance to the own centre.
              (local.set $c0 (i32.add (local.get $C) (i32.mul (local.get $a) (local.get $rb))))
              ${distance('$own', '(local.get $x)', '(local.get $c0)')}
              (local.set $u (f64.sqrt (local.get $own)))
              (if (f64.lt (f64.add (local.get $u) (local.get $margin)) (local.get $m))
                (then
                  (f64.store (i32.add (local.get $upper) (local.get $i8))
                    (f64.sub (local.get $u) ${f64At('$cum', '(local.get $a)')}))
                  (br $settled)))))
          ;; Every centre: the nearest (lower index on ties) and the runner-up's distance.
          (local.set $best (i32.const 0))
          (local.set $bestSq (f64.const inf))
          (local.set $nextSq (f64.const inf))
          ${scanCentres(
						(t) => `(local.set $lt (f64.lt (local.get $s${t}) (local.get $bestSq)))
          (local.set $nextSq
            (select (local.get $bestSq) (f64.min (local.get $nextSq) (local.get $s${t}))
              (local.get $lt)))
          (local.set $best
            (select (i32.add (local.get $j) (i32.const ${t})) (local.get $best) (local.get $lt)))
          (local.set $bestSq (select (local.get $s${t}) (local.get $bestSq) (local.get $lt)))`
					)}
          (if (i32.ne (local.get $best) (local.get $a))
            (then
              (call $move (local.get $x) (local.get $a) (local.get $best) (local.get $counts)
                (local.get $sums) (local.get $rb))
              (i32.store (local.get $lp) (local.get $best))
              (local.set $changed (i32.const 1))))
          (f64.store (i32.add (local.get $upper) (local.get $i8))
            (f64.sub (f64.sqrt (local.get $bestSq)) ${f64At('$cum', '(local.get $best)')}))
          (f64.store (i32.add (local.get $lower) (local.get $i8))
            (f64.add (f64.sqrt (local.get $nextSq)) ${f64At('$cumOther', '(local.get $best)')})))`,
			nextRow
		)}
    (local.get $changed))

  ;; Σ ‖x − c(label)‖² in row order.
  (func (export "inertia") (param $x i32) (param $n i32) (param $qb i32) (param $rb i32)
    (param $C i32) (param $labels i32) (result f64)
    (local $i i32) (local $s f64) (local $total f64)
    ${DIST_LOCALS}
    ${forRows(
			`${distance(
				'$s',
				'(local.get $x)',
				`(i32.add (local.get $C) (i32.mul ${i32At('$labels', '(local.get $i)')} (local.get $rb)))`
			)}
        (local.set $total (f64.add (local.get $total) (local.get $s)))`,
			nextRow
		)}
    (local.get $total)))
`;
}
