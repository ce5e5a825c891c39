import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientAddressOf, ipThrottleKey } from '../../src/auth/throttle.js';

describe('the address a client is counted by', () => {
  test('IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64 whatever its spelling', () => {
    assert.equal(clientAddressOf('203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressOf('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientAddressOf('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientAddressOf('2001:0DB8:0000:0000:ffff:1:2:3'), '2001:db8:0:0::/64');
    assert.equal(clientAddressOf('2001:db8:aa:1:1:2:3:4'), '2001:db8:aa:1::/64');
    assert.equal(clientAddressOf('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(clientAddressOf('1:2:3:4:5:6:7::'), '1:2:3:4::/64');
    assert.equal(clientAddressOf('::1'), '0:0:0:0::/64');
  });

  test('keys name the counted address, and counting it again changes nothing', () => {
    assert.equal(ipThrottleKey('portal', 'login', '2001:db8::9'), 'ip:portal-login:2001:db8:0:0::/64');
    assert.equal(ipThrottleKey('portal', 'login', clientAddressOf('2001:db8::9')), 'ip:portal-login:2001:db8:0:0::/64');
  });
});
