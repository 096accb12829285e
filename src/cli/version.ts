// The program's version, which a unit test holds equal to package.json's.
export const VERSION = '1.1.0'
