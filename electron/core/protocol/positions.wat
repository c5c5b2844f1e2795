;; POSITION_UPDATE finiteness kernel (WebAssembly SIMD), issue 3.
;;
;; Source of electron/core/protocol/positions-wasm.ts: edit this file, then run
;; `npm run build:wasm` (test/protocol/position-kernel.test.ts fails while the two differ).
;;
;; finite(src, n) -> i32
;;   src: n records of 28 bytes as on the wire (id u32; x y z vx vy vz f32, little-endian)
;;   returns 0 when every coordinate is finite, 1 when one may not be
;;
;; The decoder keeps records as they arrive, so this is its only per-record work.
;; A sum is finite only if every term is (NaN and ±Infinity propagate), so each
;; 16-byte vector costs one f32x4.add. Four records are exactly seven vectors
;; (112 bytes), so vector k of every group has the same lanes: giving each k its
;; own accumulator keeps the ids (which may be NaN bit patterns) in four known
;; lanes that are masked off at the end, and never mixed with coordinates.
;; A sum of finite values near ±3.4e38 can overflow to Infinity, so 1 means
;; "check exactly": the caller then runs an exact check and only that rejects.
;; A non-finite coordinate always returns 1.
;;
;; Id lanes, for record r = 0..3 of a group at word 7r: vector 0 lane 0,
;; vector 1 lane 3, vector 3 lane 2, vector 5 lane 1. Eight records (two groups)
;; per iteration: unrolling past four measured faster at 2,000 records.
(module
  (memory (export "memory") 1)

  (func (export "finite") (param $src i32) (param $n i32) (result i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local $end8 i32) (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.mul (local.get $n) (i32.const 28))))
    (local.set $end8 (i32.add (local.get $src) (i32.mul (i32.and (local.get $n) (i32.const -8)) (i32.const 28))))

    (block $main_done
      (br_if $main_done (i32.ge_u (local.get $src) (local.get $end8)))
      (loop $main
        (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $src))))
        (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $src))))
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $src))))
        (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $src))))
        (local.set $a4 (f32x4.add (local.get $a4) (v128.load offset=64 (local.get $src))))
        (local.set $a5 (f32x4.add (local.get $a5) (v128.load offset=80 (local.get $src))))
        (local.set $a6 (f32x4.add (local.get $a6) (v128.load offset=96 (local.get $src))))
        (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=112 (local.get $src))))
        (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=128 (local.get $src))))
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=144 (local.get $src))))
        (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=160 (local.get $src))))
        (local.set $a4 (f32x4.add (local.get $a4) (v128.load offset=176 (local.get $src))))
        (local.set $a5 (f32x4.add (local.get $a5) (v128.load offset=192 (local.get $src))))
        (local.set $a6 (f32x4.add (local.get $a6) (v128.load offset=208 (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 224)))
        (br_if $main (i32.lt_u (local.get $src) (local.get $end8)))))

    ;; Leftover records one at a time: [x y z vx] and [z vx vy vz], coordinates
    ;; only (z and vx twice), into accumulators that hold no id lane.
    (block $rest_done
      (br_if $rest_done (i32.ge_u (local.get $src) (local.get $end)))
      (loop $rest
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=4 (local.get $src))))
        (local.set $a4 (f32x4.add (local.get $a4) (v128.load offset=12 (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 28)))
        (br_if $rest (i32.lt_u (local.get $src) (local.get $end)))))

    ;; Drop the id lanes (0.0 is finite), then s - s is 0 in every lane only when s is finite.
    (local.set $a0 (v128.and (local.get $a0) (v128.const i32x4 0 -1 -1 -1)))
    (local.set $a1 (v128.and (local.get $a1) (v128.const i32x4 -1 -1 -1 0)))
    (local.set $a3 (v128.and (local.get $a3) (v128.const i32x4 -1 -1 0 -1)))
    (local.set $a5 (v128.and (local.get $a5) (v128.const i32x4 -1 0 -1 -1)))
    (local.set $a0
      (f32x4.add
        (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3)))
        (f32x4.add (f32x4.add (local.get $a4) (local.get $a5)) (local.get $a6))))
    (v128.any_true (f32x4.ne (f32x4.sub (local.get $a0) (local.get $a0)) (v128.const f32x4 0 0 0 0))))
)
