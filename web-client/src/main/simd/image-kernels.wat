;; The decoder's image-side kernels in WebAssembly SIMD (128-bit, f32x4).
;;
;; TeaVM emits no SIMD, so the browser's Java loops run at about a third of what the machine can
;; do. These few functions carry the multiply-adds of a click that touch all image tokens (the
;; attention products over the stripe's rows and the output upscaling); everything else stays in
;; Java. They work on the linear memory that TeaVM's WebAssembly GC module imports as env.memory
;; (the Java side allocates regions in it and passes byte addresses), so the image tokens and the
;; weights stay resident and only small per-click matrices cross over.
;;
;; Conventions: every pointer is a byte address of float32 data, every size and stride is in
;; elements. Column counts n are multiples of 4. Sums are float32 like the ONNX oracle, in a
;; different order than the Java kernels (four lanes side by side): results agree to rounding.
;; Assembled by the Maven build (wabt's wat2wasm, from npm); nothing binary is committed.
(module
  (import "env" "memory" (memory 1))

  ;; C (m, n) = [C +] A (m, k) · B (k, n)
  ;; A[i][p] at a + 4·(i·ars + p·acs), so A may be a transposed view; B[p][j] at b + 4·(p·ldb + j);
  ;; C[i][j] at c + 4·(i·ldc + j). accumulate = 0: C is overwritten.
  (func (export "gemm")
        (param $a i32) (param $ars i32) (param $acs i32)
        (param $b i32) (param $ldb i32)
        (param $c i32) (param $ldc i32)
        (param $m i32) (param $k i32) (param $n i32) (param $accumulate i32)
    (local $i i32) (local $j i32)
    (local.set $i (i32.const 0))
    ;; four rows at a time
    (block $rows4_done
      (loop $rows4
        (br_if $rows4_done (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols16_done
          (loop $cols16
            (br_if $cols16_done (i32.gt_s (i32.add (local.get $j) (i32.const 16)) (local.get $n)))
            (call $block4x16
              (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $ars)) (i32.const 2)))
              (i32.shl (local.get $ars) (i32.const 2))
              (i32.shl (local.get $acs) (i32.const 2))
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.shl (local.get $ldb) (i32.const 2))
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2)))
              (i32.shl (local.get $ldc) (i32.const 2))
              (local.get $k) (local.get $accumulate))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $cols16)))
        (block $cols4_done
          (loop $cols4
            (br_if $cols4_done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (call $block4x4
              (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $ars)) (i32.const 2)))
              (i32.shl (local.get $ars) (i32.const 2))
              (i32.shl (local.get $acs) (i32.const 2))
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.shl (local.get $ldb) (i32.const 2))
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2)))
              (i32.shl (local.get $ldc) (i32.const 2))
              (local.get $k) (local.get $accumulate))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols4)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows4)))
    ;; the remaining rows one at a time
    (block $rows1_done
      (loop $rows1
        (br_if $rows1_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.gt_s (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (call $block1x4
              (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $ars)) (i32.const 2)))
              (i32.shl (local.get $acs) (i32.const 2))
              (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2)))
              (i32.shl (local.get $ldb) (i32.const 2))
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $ldc)) (local.get $j)) (i32.const 2)))
              (local.get $k) (local.get $accumulate))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows1))))

  ;; 4 rows × 16 columns of C held in 16 registers over the whole k loop: per step, 4 loads of B
  ;; and 4 of A feed 64 multiply-adds. Byte strides: rs between A's rows, cs between its columns.
  (func $block4x16
        (param $a i32) (param $rs i32) (param $cs i32) (param $b i32) (param $ldb i32)
        (param $c i32) (param $ldc i32) (param $k i32) (param $accumulate i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $x v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local $s20 v128) (local $s21 v128) (local $s22 v128) (local $s23 v128)
    (local $s30 v128) (local $s31 v128) (local $s32 v128) (local $s33 v128)
    (local $p i32)
    (local.set $a0 (local.get $a))
    (local.set $a1 (i32.add (local.get $a0) (local.get $rs)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rs)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rs)))
    (local.set $c0 (local.get $c))
    (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $accumulate)
      (then
        (local.set $s00 (v128.load offset=0 (local.get $c0)))
        (local.set $s01 (v128.load offset=16 (local.get $c0)))
        (local.set $s02 (v128.load offset=32 (local.get $c0)))
        (local.set $s03 (v128.load offset=48 (local.get $c0)))
        (local.set $s10 (v128.load offset=0 (local.get $c1)))
        (local.set $s11 (v128.load offset=16 (local.get $c1)))
        (local.set $s12 (v128.load offset=32 (local.get $c1)))
        (local.set $s13 (v128.load offset=48 (local.get $c1)))
        (local.set $s20 (v128.load offset=0 (local.get $c2)))
        (local.set $s21 (v128.load offset=16 (local.get $c2)))
        (local.set $s22 (v128.load offset=32 (local.get $c2)))
        (local.set $s23 (v128.load offset=48 (local.get $c2)))
        (local.set $s30 (v128.load offset=0 (local.get $c3)))
        (local.set $s31 (v128.load offset=16 (local.get $c3)))
        (local.set $s32 (v128.load offset=32 (local.get $c3)))
        (local.set $s33 (v128.load offset=48 (local.get $c3)))))
    (local.set $p (local.get $k))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $p)))
        (local.set $b0 (v128.load offset=0 (local.get $b)))
        (local.set $b1 (v128.load offset=16 (local.get $b)))
        (local.set $b2 (v128.load offset=32 (local.get $b)))
        (local.set $b3 (v128.load offset=48 (local.get $b)))
        (local.set $x (f32x4.splat (f32.load (local.get $a0))))
        (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $s02 (f32x4.add (local.get $s02) (f32x4.mul (local.get $x) (local.get $b2))))
        (local.set $s03 (f32x4.add (local.get $s03) (f32x4.mul (local.get $x) (local.get $b3))))
        (local.set $x (f32x4.splat (f32.load (local.get $a1))))
        (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $s12 (f32x4.add (local.get $s12) (f32x4.mul (local.get $x) (local.get $b2))))
        (local.set $s13 (f32x4.add (local.get $s13) (f32x4.mul (local.get $x) (local.get $b3))))
        (local.set $x (f32x4.splat (f32.load (local.get $a2))))
        (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $s22 (f32x4.add (local.get $s22) (f32x4.mul (local.get $x) (local.get $b2))))
        (local.set $s23 (f32x4.add (local.get $s23) (f32x4.mul (local.get $x) (local.get $b3))))
        (local.set $x (f32x4.splat (f32.load (local.get $a3))))
        (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
        (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
        (local.set $s32 (f32x4.add (local.get $s32) (f32x4.mul (local.get $x) (local.get $b2))))
        (local.set $s33 (f32x4.add (local.get $s33) (f32x4.mul (local.get $x) (local.get $b3))))
        (local.set $a0 (i32.add (local.get $a0) (local.get $cs)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $cs)))
        (local.set $a2 (i32.add (local.get $a2) (local.get $cs)))
        (local.set $a3 (i32.add (local.get $a3) (local.get $cs)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $step)))
    (v128.store offset=0 (local.get $c0) (local.get $s00))
    (v128.store offset=16 (local.get $c0) (local.get $s01))
    (v128.store offset=32 (local.get $c0) (local.get $s02))
    (v128.store offset=48 (local.get $c0) (local.get $s03))
    (v128.store offset=0 (local.get $c1) (local.get $s10))
    (v128.store offset=16 (local.get $c1) (local.get $s11))
    (v128.store offset=32 (local.get $c1) (local.get $s12))
    (v128.store offset=48 (local.get $c1) (local.get $s13))
    (v128.store offset=0 (local.get $c2) (local.get $s20))
    (v128.store offset=16 (local.get $c2) (local.get $s21))
    (v128.store offset=32 (local.get $c2) (local.get $s22))
    (v128.store offset=48 (local.get $c2) (local.get $s23))
    (v128.store offset=0 (local.get $c3) (local.get $s30))
    (v128.store offset=16 (local.get $c3) (local.get $s31))
    (v128.store offset=32 (local.get $c3) (local.get $s32))
    (v128.store offset=48 (local.get $c3) (local.get $s33)))

  ;; 4 rows × 4 columns (the column tail when n is not a multiple of 16)
  (func $block4x4
        (param $a i32) (param $rs i32) (param $cs i32) (param $b i32) (param $ldb i32)
        (param $c i32) (param $ldc i32) (param $k i32) (param $accumulate i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local $b0 v128) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $p i32)
    (local.set $a0 (local.get $a))
    (local.set $a1 (i32.add (local.get $a0) (local.get $rs)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $rs)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $rs)))
    (local.set $c0 (local.get $c))
    (local.set $c1 (i32.add (local.get $c0) (local.get $ldc)))
    (local.set $c2 (i32.add (local.get $c1) (local.get $ldc)))
    (local.set $c3 (i32.add (local.get $c2) (local.get $ldc)))
    (if (local.get $accumulate)
      (then
        (local.set $s0 (v128.load (local.get $c0)))
        (local.set $s1 (v128.load (local.get $c1)))
        (local.set $s2 (v128.load (local.get $c2)))
        (local.set $s3 (v128.load (local.get $c3)))))
    (local.set $p (local.get $k))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $p)))
        (local.set $b0 (v128.load (local.get $b)))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (f32x4.splat (f32.load (local.get $a0))) (local.get $b0))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (f32x4.splat (f32.load (local.get $a1))) (local.get $b0))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (f32x4.splat (f32.load (local.get $a2))) (local.get $b0))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (f32x4.splat (f32.load (local.get $a3))) (local.get $b0))))
        (local.set $a0 (i32.add (local.get $a0) (local.get $cs)))
        (local.set $a1 (i32.add (local.get $a1) (local.get $cs)))
        (local.set $a2 (i32.add (local.get $a2) (local.get $cs)))
        (local.set $a3 (i32.add (local.get $a3) (local.get $cs)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $step)))
    (v128.store (local.get $c0) (local.get $s0))
    (v128.store (local.get $c1) (local.get $s1))
    (v128.store (local.get $c2) (local.get $s2))
    (v128.store (local.get $c3) (local.get $s3)))

  ;; 1 row × 4 columns (the row tail when m is not a multiple of 4)
  (func $block1x4
        (param $a i32) (param $cs i32) (param $b i32) (param $ldb i32)
        (param $c i32) (param $k i32) (param $accumulate i32)
    (local $s v128) (local $p i32)
    (if (local.get $accumulate)
      (then (local.set $s (v128.load (local.get $c)))))
    (local.set $p (local.get $k))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $p)))
        (local.set $s (f32x4.add (local.get $s)
          (f32x4.mul (f32x4.splat (f32.load (local.get $a))) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (local.get $cs)))
        (local.set $b (i32.add (local.get $b) (local.get $ldb)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $step)))
    (v128.store (local.get $c) (local.get $s)))

  ;; dst = x + y over count floats (count a multiple of 4); dst may be x or y
  (func (export "add") (param $x i32) (param $y i32) (param $dst i32) (param $count i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $y))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $step))))

  ;; dst (m, n) = x (m, n) + row (n) broadcast; n a multiple of 4; dst may be x
  (func (export "addRow") (param $x i32) (param $row i32) (param $dst i32) (param $m i32) (param $n i32)
    (local $i i32) (local $j i32) (local $r i32)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $r (local.get $row))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $n)))
            (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $x)) (v128.load (local.get $r))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (local.set $r (i32.add (local.get $r) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Layer normalisation of each row of x (m, n) in place: (x − mean) / sqrt(var + eps) · w + b,
  ;; biased variance (nn.LayerNorm, SAM's LayerNorm2d channels-last); n a multiple of 4
  (func (export "layerNorm") (param $x i32) (param $m i32) (param $n i32) (param $w i32) (param $b i32) (param $eps f32)
    (local $i i32) (local $p i32) (local $end i32) (local $rowBytes i32)
    (local $s v128) (local $d v128) (local $mean v128) (local $inv v128)
    (local $sum f32) (local $wp i32) (local $bp i32)
    (local.set $rowBytes (i32.shl (local.get $n) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $end (i32.add (local.get $x) (local.get $rowBytes)))
        ;; mean
        (local.set $s (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (block $sum_done
          (loop $sum_step
            (br_if $sum_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (f32x4.add (local.get $s) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $sum_step)))
        (local.set $sum (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
          (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))
        (local.set $mean (f32x4.splat (f32.div (local.get $sum) (f32.convert_i32_s (local.get $n)))))
        ;; variance
        (local.set $s (v128.const f32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (block $var_done
          (loop $var_step
            (br_if $var_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $d (f32x4.sub (v128.load (local.get $p)) (local.get $mean)))
            (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $d) (local.get $d))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $var_step)))
        (local.set $sum (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $s)) (f32x4.extract_lane 1 (local.get $s)))
          (f32.add (f32x4.extract_lane 2 (local.get $s)) (f32x4.extract_lane 3 (local.get $s)))))
        (local.set $inv (f32x4.splat (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.div (local.get $sum) (f32.convert_i32_s (local.get $n))) (local.get $eps))))))
        ;; normalise and apply the affine
        (local.set $p (local.get $x))
        (local.set $wp (local.get $w))
        (local.set $bp (local.get $b))
        (block $norm_done
          (loop $norm_step
            (br_if $norm_done (i32.ge_u (local.get $p) (local.get $end)))
            (v128.store (local.get $p)
              (f32x4.add
                (f32x4.mul (f32x4.mul (f32x4.sub (v128.load (local.get $p)) (local.get $mean)) (local.get $inv))
                           (v128.load (local.get $wp)))
                (v128.load (local.get $bp))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
            (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
            (br $norm_step)))
        (local.set $x (local.get $end))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; GELU by linear interpolation in Java's table (clickseg.decoder.Gelu: step 1/1024 on [−10, 10]),
  ;; of x (m, n) + bias (n) when bias ≠ 0, in place
  (func (export "gelu") (param $x i32) (param $m i32) (param $n i32) (param $bias i32) (param $table i32)
    (local $i i32) (local $j i32) (local $v f32) (local $t f32) (local $q i32) (local $f f32) (local $lo f32)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_s (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_s (local.get $j) (local.get $n)))
            (local.set $v (f32.load (local.get $x)))
            (if (local.get $bias)
              (then (local.set $v (f32.add (local.get $v)
                (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))))
            (if (f32.ge (local.get $v) (f32.const 10))
              (then (f32.store (local.get $x) (local.get $v)))
              (else
                (if (f32.le (local.get $v) (f32.const -10))
                  (then (f32.store (local.get $x) (f32.const 0)))
                  (else
                    (local.set $t (f32.mul (f32.add (local.get $v) (f32.const 10)) (f32.const 1024)))
                    (local.set $q (i32.trunc_f32_s (local.get $t)))
                    (local.set $f (f32.sub (local.get $t) (f32.convert_i32_s (local.get $q))))
                    (local.set $q (i32.add (local.get $table) (i32.shl (local.get $q) (i32.const 2))))
                    (local.set $lo (f32.load (local.get $q)))
                    (f32.store (local.get $x)
                      (f32.add (local.get $lo)
                        (f32.mul (local.get $f) (f32.sub (f32.load offset=4 (local.get $q)) (local.get $lo)))))))))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
