// Checks every AWS:: resource of a CloudFormation template (given as JSON) against AWS's own
// resource specification, the CloudFormation registry schemas as @aws-cdk/aws-service-spec holds
// them: unknown resource types, unknown or misspelt properties (nested ones too, where the value
// is written out rather than computed), and required properties left out. SAM's resources
// (AWS::Serverless::*) are left alone: the package's SAM part predates much of SAM.
// Prints one problem a line, and exits 1 when there is any.
//
//   usage: NODE_PATH=… node check-template.js template.json
const fs = require('fs');
const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec');

const db = loadAwsServiceSpecSync();
const template = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const problems = [];

function isIntrinsic(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

// Checks an object's keys against a property map; follows references to type definitions.
function checkObject(where, value, properties) {
  if (isIntrinsic(value) || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (!(key in properties)) {
      problems.push(`${where}: unknown property ${key}`);
    } else {
      checkValue(`${where}.${key}`, value[key], properties[key].type);
    }
  }
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in value)) problems.push(`${where}: required property ${name} is missing`);
  }
}

function checkValue(where, value, type) {
  if (!type || isIntrinsic(value)) return;
  if (type.type === 'ref') {
    const definition = db.get('typeDefinition', type.reference.$ref);
    if (definition && value && typeof value === 'object' && !Array.isArray(value)) checkObject(where, value, definition.properties);
  } else if (type.type === 'array' && Array.isArray(value)) {
    value.forEach((element, i) => checkValue(`${where}[${i}]`, element, type.element));
  } else if (type.type === 'union') {
    // Only a union with a single definition among its members can be followed unambiguously.
    const refs = type.types.filter(t => t.type === 'ref');
    if (refs.length === 1 && type.types.every(t => t.type === 'ref' || t.type !== 'json')) checkValue(where, value, refs[0]);
  }
}

let checked = 0;
for (const [name, resource] of Object.entries(template.Resources || {})) {
  const type = resource.Type;
  if (!type.startsWith('AWS::') || type.startsWith('AWS::Serverless::')) continue;
  const found = db.lookup('resource', 'cloudFormationType', 'equals', type);
  if (found.length !== 1) {
    problems.push(`${name}: unknown resource type ${type}`);
    continue;
  }
  checked++;
  checkObject(`${name} (${type})`, resource.Properties || {}, found[0].properties);
}
problems.forEach(p => console.log(p));
console.error(`checked ${checked} AWS:: resources against @aws-cdk/aws-service-spec: ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
