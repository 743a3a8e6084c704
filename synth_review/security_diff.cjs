// The security view of `cdk diff`, offline: @aws-cdk/cloudformation-diff (the library
// behind `cdk diff`) compares each stack's baseline and current template and reports its
// IAM statement, managed-policy and security-group changes.
//
// stdin:  {"<stack>": {"old": <template>, "new": <template>}, ...}
// stdout: {"<stack>": {"permissions_broadened": bool, "statements": [...],
//          "managed_policies": [...], "ingress": [...], "egress": [...]}, ...}
'use strict';

const { fullDiff } = require('@aws-cdk/cloudformation-diff');

const WORLD = new Set(['0.0.0.0/0', '::/0']);

function statements(collection) {
  const rows = [];
  for (const [change, list] of [['added', collection.additions], ['removed', collection.removals]]) {
    for (const statement of list) {
      const rendered = statement.render();
      const negative = statement.isNegativeStatement;
      rows.push({
        change,
        sid: statement.sid === undefined ? null : statement.sid,
        effect: rendered.effect,
        resource: rendered.resource,
        action: rendered.action,
        principal: rendered.principal,
        condition: rendered.condition,
        // as cloudformation-diff defines it: an Allow added or a Deny removed
        broadening: change === 'added' ? !negative : negative,
      });
    }
  }
  return rows;
}

function managedPolicies(collection) {
  const rows = [];
  for (const [change, list] of [['added', collection.additions], ['removed', collection.removals]]) {
    for (const attachment of list) {
      rows.push({
        change,
        identity: attachment.identityArn,
        policy: attachment.managedPolicyArn,
        broadening: change === 'added',
      });
    }
  }
  return rows;
}

function rules(collection) {
  const rows = [];
  for (const [change, list] of [['added', collection.additions], ['removed', collection.removals]]) {
    for (const rule of list) {
      const peer = rule.peer || {};
      rows.push({
        change,
        group: rule.groupId,
        protocol: rule.describeProtocol(),
        peer: rule.describePeer(),
        open_to_world: peer.kind === 'cidr-ip' && WORLD.has(peer.ip),
      });
    }
  }
  return rows;
}

function main(input) {
  const result = {};
  for (const [stack, pair] of Object.entries(JSON.parse(input))) {
    const diff = fullDiff(pair.old || {}, pair.new || {});
    result[stack] = {
      permissions_broadened: diff.permissionsBroadened,
      statements: statements(diff.iamChanges.statements),
      managed_policies: managedPolicies(diff.iamChanges.managedPolicies),
      ingress: rules(diff.securityGroupChanges.ingress),
      egress: rules(diff.securityGroupChanges.egress),
    };
  }
  return result;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(main(input)));
});
