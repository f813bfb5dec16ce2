//! Deliberately weak key-derivation parameters for the tests, so that
//! sealing and opening files is fast in debug builds. Files written with
//! them are as readable as any other. They live here, in the tests, so that
//! the library as built (and its feature list) has nothing test-only.
#![allow(dead_code)]

use common_ground::core::store::KdfParams;

/// `KdfParams::weak_for_tests()`, as the library's own unit tests call it.
pub trait WeakForTests {
    fn weak_for_tests() -> KdfParams;
}

impl WeakForTests for KdfParams {
    fn weak_for_tests() -> KdfParams {
        KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        }
    }
}
