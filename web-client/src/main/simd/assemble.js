// Assembles the SIMD kernels' text (image-kernels.wat) into WebAssembly with wabt's wat2wasm, run by
// the Maven build (web-client's generate-resources). wabt comes from npm with the ordinary client,
// checked by sha256 and cached beside the model; nothing binary is committed.
//   node assemble.js <kernels.wat> <out.wasm> <cache folder>
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {execFileSync} = require('child_process');

const WABT_VERSION = '1.0.39';
const WABT_TARBALL_SHA256 = 'a10d4f4b15b91de8ab2ccb4700ef12185736f0bc96ee809e53ab17f7ea743fd2';

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The unpacked wabt package folder, fetched with `npm pack` on first use. */
function ensureWabt(cache) {
  const folder = path.join(cache, 'npm');
  const unpacked = path.join(folder, 'wabt-' + WABT_VERSION);
  const entry = path.join(unpacked, 'package', 'index.js');
  if (fs.existsSync(entry)) {
    return path.join(unpacked, 'package');
  }
  fs.mkdirSync(folder, {recursive: true});
  const tarball = path.join(folder, 'wabt-' + WABT_VERSION + '.tgz');
  if (!fs.existsSync(tarball) || sha256(tarball) !== WABT_TARBALL_SHA256) {
    execFileSync('npm', ['pack', 'wabt@' + WABT_VERSION, '--silent'], {cwd: folder, stdio: ['ignore', 'ignore', 'inherit']});
  }
  const actual = sha256(tarball);
  if (actual !== WABT_TARBALL_SHA256) {
    throw new Error('npm gave wabt-' + WABT_VERSION + '.tgz with sha256 ' + actual + ', expected '
        + WABT_TARBALL_SHA256 + '; delete ' + tarball + ' and retry');
  }
  const partial = unpacked + '.partial-' + process.pid;
  fs.rmSync(partial, {recursive: true, force: true});
  fs.mkdirSync(partial, {recursive: true});
  execFileSync('tar', ['xzf', tarball], {cwd: partial});
  fs.rmSync(unpacked, {recursive: true, force: true});
  fs.renameSync(partial, unpacked); // whole or not at all
  return path.join(unpacked, 'package');
}

async function main() {
  const [source, output, cache] = process.argv.slice(2);
  if (!source || !output || !cache) {
    throw new Error('usage: node assemble.js <kernels.wat> <out.wasm> <cache folder>');
  }
  const wabt = await require(ensureWabt(cache))();
  const module = wabt.parseWat(path.basename(source), fs.readFileSync(source, 'utf8'), {simd: true});
  try {
    module.validate();
    const {buffer} = module.toBinary({});
    fs.mkdirSync(path.dirname(output), {recursive: true});
    fs.writeFileSync(output, Buffer.from(buffer));
    console.log('assembled ' + path.basename(source) + ' → ' + output + ' (' + buffer.length + ' bytes)');
  } finally {
    module.destroy();
  }
}

main().catch((error) => {
  console.error(error.message || error);
  process.exit(1);
});
