import { expect } from 'chai';
import {
  registrationNumberProblem,
  usccCheckCharacter,
  usccProblem,
} from '../../../server/cases/registration-number.ts';

describe('cases: unified social credit codes (GB 32100-2015)', () => {
  it('accepts published codes, digit and letter check characters alike', () => {
    expect(usccProblem('91350100M000100Y43')).to.equal(null);
    expect(usccProblem('91110000600037341L')).to.equal(null);
    expect(usccProblem('91440300708461136T')).to.equal(null);
  });

  it('computes the check character over the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).to.equal('3');
    expect(usccCheckCharacter('91110000600037341')).to.equal('L');
  });

  it('refuses a wrong check character, saying which one the code calls for', () => {
    expect(usccProblem('91350100M000100Y44')).to.equal(
      'the check character is wrong: the first 17 characters call for 3',
    );
  });

  it('refuses the wrong length and letters outside the alphabet (I, O, Z, S, V)', () => {
    expect(usccProblem('91350100M000100Y4')).to.match(/18 characters/);
    expect(usccProblem('91350100M000100O43')).to.match(/capital letters other than/);
    expect(usccProblem('9135AB00M000100Y43')).to.match(/digits in places 3 to 8/);
  });

  it('checks codes of Chinese respondents only, folding lower case', () => {
    expect(registrationNumberProblem('CN', '91350100m000100y43')).to.equal(null);
    expect(registrationNumberProblem('CN', 'HRB 12345')).to.not.equal(null);
    expect(registrationNumberProblem('DE', 'HRB 12345')).to.equal(null);
  });
});
