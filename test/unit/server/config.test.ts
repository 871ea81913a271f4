import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.embeddedDbPort).to.equal(27018);
    expect(config.mongodbUri).to.equal(undefined);
    expect(config.outboxDir).to.equal(`${config.dataDir}/outbox`);
    expect(config.registrationOpen).to.equal(true);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('names each bad variable', () => {
    const attempt = () =>
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', REGISTRATION_OPEN: 'maybe' });
    expect(attempt).to.throw(ConfigError).with.property('message').that.matches(/PORT/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message)
        .to.contain('MONGODB_URI')
        .and.to.contain('REGISTRATION_OPEN');
    }
  });

  it('requires ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@example.com' })).to.throw(/ADMIN_PASSWORD/);
  });

  it('refuses a first admin password that is short or common, naming ADMIN_PASSWORD', () => {
    const admin = (password: string) =>
      loadConfig({ ADMIN_EMAIL: 'a@example.com', ADMIN_PASSWORD: password });
    expect(() => admin('short-one')).to.throw(/12 characters[\s\S]*ADMIN_PASSWORD/);
    expect(() => admin('password1234')).to.throw(/too common[\s\S]*ADMIN_PASSWORD/);
    expect(admin('a-very-long-admin-password').admin?.password).to.equal(
      'a-very-long-admin-password',
    );
  });

  it('reads sizes such as 1mb', () => {
    expect(loadConfig({ JSON_BODY_LIMIT: '1mb' }).jsonBodyLimitBytes).to.equal(1024 * 1024);
    expect(() => loadConfig({ JSON_BODY_LIMIT: 'lots' })).to.throw(/JSON_BODY_LIMIT/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).to.equal(3000);
  });
});
