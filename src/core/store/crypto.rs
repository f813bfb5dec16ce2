//! Encryption at rest: a passcode-derived key wraps a random data key, and
//! the data key seals every store file.
//!
//! * The passcode is stretched with **Argon2id** (RustCrypto `argon2`) into
//!   a 32-byte key-encryption key (KEK). Parameters and salt go in each
//!   file's header, so a later build with stronger defaults still opens old
//!   files.
//! * A random 32-byte **data key** (from the OS generator) seals the store
//!   body with **XChaCha20-Poly1305** (RustCrypto `chacha20poly1305`), a
//!   fresh random 24-byte nonce per save, the header bound as associated
//!   data (see `format::seal_with`).
//! * The data key is stored only wrapped: XChaCha20-Poly1305 under the KEK,
//!   with the KDF parameters, salt and key id as associated data. Changing
//!   the passcode makes a new data key ([`SealKey::create`]), so an old copy
//!   and the old passcode open nothing written later; a wrong passcode
//!   fails the wrap's authentication tag ([`CryptoError::WrongPasscode`]).
//! * Argon2 parameters above a ceiling ([`MAX_M_KIB`], [`MAX_T`], [`MAX_P`])
//!   are refused before any work, and unlocking tries the current file's
//!   wrap first ([`unlock_order`]), so a planted file cannot make unlocking
//!   slow.
//! * Every secret (passcode, KEK, data key) is held in `Zeroizing` and wiped
//!   when dropped.
//!
//! Nothing here is hand-rolled: only the two RustCrypto crates, `zeroize`
//! and the OS random source.

use std::fmt;
use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The only cipher written so far (named in each header).
pub const CIPHER: &str = "xchacha20poly1305";
/// The only KDF written so far.
pub const KDF: &str = "argon2id";
/// Bytes of salt.
pub const SALT_LEN: usize = 16;
/// Bytes of an XChaCha20-Poly1305 nonce.
pub const NONCE_LEN: usize = 24;
/// Bytes of the data key and of the KEK.
pub const KEY_LEN: usize = 32;
/// Bytes of the Poly1305 tag added to every sealed message.
pub const TAG_LEN: usize = 16;
/// Associated-data prefix of a wrapped data key (domain separation).
const WRAP_AD: &[u8] = b"common-ground key wrap v1\n";

/// The ceiling on Argon2id parameters, for writing and for reading: a file
/// whose key wrap asks for more is refused before any work, so a damaged or
/// hostile file cannot make unlocking allocate gigabytes or run for
/// minutes. 256 MiB of memory (four times what the app uses), ...
pub const MAX_M_KIB: u32 = 256 * 1024;
/// ... at most 10 passes ...
pub const MAX_T: u32 = 10;
/// ... and at most 4 lanes.
pub const MAX_P: u32 = 4;
/// The shortest passcode accepted for a new passcode, in characters. Only
/// the length is asked for: every extra character multiplies the guesses
/// needed, and rules about kinds of characters make passcodes harder to
/// remember without making them much harder to guess.
pub const MIN_PASSCODE_CHARS: usize = 6;

/// Argon2id cost parameters, recorded in the header.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What the app uses for a new passcode: 64 MiB, 3 passes, 1 lane
    /// (stronger than the OWASP minimum of 19 MiB, t=2; about half a second
    /// on a 2020s laptop core, see `benches/crypto.rs`).
    pub const APP: KdfParams = KdfParams {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };

    /// Deliberately weak parameters for the unit tests (fast in debug
    /// builds). Files written with them are as readable as any other. The
    /// integration tests have their own (`tests/weak_kdf`).
    #[cfg(test)]
    pub const fn weak_for_tests() -> KdfParams {
        KdfParams {
            m_kib: 64,
            t: 1,
            p: 1,
        }
    }

    /// Whether these cost less than `other` in memory or in passes (an
    /// older or weaker setting, upgraded at the next save after unlocking).
    pub fn is_weaker_than(&self, other: &KdfParams) -> bool {
        self.m_kib < other.m_kib || self.t < other.t
    }

    /// The work of one derivation, in KiB-passes (memory times passes).
    pub fn cost(&self) -> u64 {
        u64::from(self.m_kib) * u64::from(self.t)
    }

    /// Whether these are within the ceiling ([`MAX_M_KIB`], [`MAX_T`],
    /// [`MAX_P`]) and valid for Argon2id.
    pub fn is_allowed(&self) -> bool {
        self.argon2().is_ok()
    }

    fn argon2(&self) -> Result<Argon2<'static>, CryptoError> {
        if self.m_kib > MAX_M_KIB || self.t > MAX_T || self.p > MAX_P {
            return Err(CryptoError::BadParameters);
        }
        let params = Params::new(self.m_kib, self.t, self.p, Some(KEY_LEN))
            .map_err(|_| CryptoError::BadParameters)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Bytes that travel in a JSON header as base64.
#[derive(Clone, PartialEq, Eq)]
pub struct B64Bytes(pub Vec<u8>);

impl fmt::Debug for B64Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", B64.encode(&self.0))
    }
}

impl Serialize for B64Bytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&B64.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for B64Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        B64.decode(s.as_bytes())
            .map(B64Bytes)
            .map_err(serde::de::Error::custom)
    }
}

/// How the data key is wrapped by the passcode: everything needed to try a
/// passcode, and nothing secret. Part of every encrypted header.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct KeyWrap {
    /// Always [`KDF`].
    pub kdf: String,
    pub params: KdfParams,
    pub salt: B64Bytes,
    /// Random id of the data key (not derived from it), so that files
    /// sealed with another key are recognised as such.
    pub key_id: B64Bytes,
    pub wrap_nonce: B64Bytes,
    /// The data key sealed under the KEK (32 bytes + 16 tag).
    pub wrapped_key: B64Bytes,
}

impl KeyWrap {
    fn associated_data(&self) -> Vec<u8> {
        let mut ad = WRAP_AD.to_vec();
        ad.extend_from_slice(self.kdf.as_bytes());
        ad.push(0);
        for n in [self.params.m_kib, self.params.t, self.params.p] {
            ad.extend_from_slice(&n.to_le_bytes());
        }
        ad.extend_from_slice(&self.salt.0);
        ad.extend_from_slice(&self.key_id.0);
        ad
    }

    /// Whether the stored fields have the right shapes (sizes, names,
    /// bounded costs). Checked before any slow work.
    pub fn is_well_formed(&self) -> bool {
        self.kdf == KDF
            && self.salt.0.len() == SALT_LEN
            && self.key_id.0.len() == 16
            && self.wrap_nonce.0.len() == NONCE_LEN
            && self.wrapped_key.0.len() == KEY_LEN + TAG_LEN
            && self.params.argon2().is_ok()
    }
}

/// A passcode as typed. Wiped from memory when dropped.
pub struct Passcode(Zeroizing<String>);

impl Passcode {
    pub fn new(text: impl Into<String>) -> Passcode {
        Passcode(Zeroizing::new(text.into()))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether this may become a new passcode: at least
    /// [`MIN_PASSCODE_CHARS`] characters (not bytes), nothing else asked.
    pub fn check_new(&self) -> Result<(), CryptoError> {
        match self.0.chars().count() {
            0 => Err(CryptoError::EmptyPasscode),
            n if n < MIN_PASSCODE_CHARS => Err(CryptoError::TooShort),
            _ => Ok(()),
        }
    }

    fn bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// Whether two typed passcodes are the same (to confirm a new one).
    pub fn same_as(&self, other: &Passcode) -> bool {
        *self.0 == *other.0
    }
}

impl fmt::Debug for Passcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passcode(..)")
    }
}

/// An unlocked data key with its current wrap: what the writer needs to
/// seal a save. Cheap to clone (`Arc`); the key bytes are wiped when the
/// last clone goes.
#[derive(Clone)]
pub struct SealKey(Arc<SealInner>);

struct SealInner {
    key: Zeroizing<[u8; KEY_LEN]>,
    wrap: KeyWrap,
}

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealKey")
            .field("wrap", &self.0.wrap)
            .finish_non_exhaustive()
    }
}

/// Why a key operation failed. The messages are shown to users.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// The passcode does not open this store.
    WrongPasscode,
    /// A new passcode must not be empty.
    EmptyPasscode,
    /// A new passcode needs at least [`MIN_PASSCODE_CHARS`] characters.
    TooShort,
    /// Too many wrong passcodes: the next try is allowed after this many
    /// seconds (the wait is kept on disk, so a restart waits too).
    Wait { seconds: u64 },
    /// The header names a KDF or cipher this build does not know, or costs
    /// out of bounds.
    BadParameters,
    /// The operating system's random source failed.
    Random,
    /// Sealing failed (should never happen).
    Seal,
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CryptoError::WrongPasscode => write!(f, "the passcode is not right"),
            CryptoError::EmptyPasscode => write!(f, "the passcode is empty"),
            CryptoError::TooShort => write!(
                f,
                "a passcode needs at least {MIN_PASSCODE_CHARS} characters, so that it is hard to guess"
            ),
            CryptoError::Wait { seconds } => write!(
                f,
                "after several wrong passcodes there is a wait: please try again in {seconds} seconds"
            ),
            CryptoError::BadParameters => {
                write!(
                    f,
                    "the file's encryption settings are not ones this version knows"
                )
            }
            CryptoError::Random => write!(f, "the system's random number source failed"),
            CryptoError::Seal => write!(f, "encryption failed"),
        }
    }
}

impl std::error::Error for CryptoError {}

fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    OsRng
        .try_fill_bytes(&mut out)
        .map_err(|_| CryptoError::Random)?;
    Ok(out)
}

/// Stretches `passcode` with `params` and `salt` (slow by design).
fn derive_kek(
    passcode: &Passcode,
    params: &KdfParams,
    salt: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>, CryptoError> {
    let mut kek = Zeroizing::new([0u8; KEY_LEN]);
    params
        .argon2()?
        .hash_password_into(passcode.bytes(), salt, &mut kek[..])
        .map_err(|_| CryptoError::BadParameters)?;
    Ok(kek)
}

fn wrap_key(
    key: &[u8; KEY_LEN],
    key_id: [u8; 16],
    passcode: &Passcode,
    params: KdfParams,
) -> Result<KeyWrap, CryptoError> {
    if passcode.is_empty() {
        return Err(CryptoError::EmptyPasscode);
    }
    let salt: [u8; SALT_LEN] = random()?;
    let nonce: [u8; NONCE_LEN] = random()?;
    let kek = derive_kek(passcode, &params, &salt)?;
    let mut wrap = KeyWrap {
        kdf: KDF.to_owned(),
        params,
        salt: B64Bytes(salt.to_vec()),
        key_id: B64Bytes(key_id.to_vec()),
        wrap_nonce: B64Bytes(nonce.to_vec()),
        wrapped_key: B64Bytes(Vec::new()),
    };
    let ad = wrap.associated_data();
    let cipher = XChaCha20Poly1305::new((&*kek).into());
    wrap.wrapped_key.0 = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: key, aad: &ad })
        .map_err(|_| CryptoError::Seal)?;
    Ok(wrap)
}

impl SealKey {
    /// A new random data key, wrapped by `passcode` (slow: one Argon2id).
    /// Used to turn the passcode on and to change it. The passcode must
    /// pass [`Passcode::check_new`].
    pub fn create(passcode: &Passcode, params: KdfParams) -> Result<SealKey, CryptoError> {
        passcode.check_new()?;
        let key = Zeroizing::new(random::<KEY_LEN>()?);
        let key_id = random::<16>()?;
        let wrap = wrap_key(&key, key_id, passcode, params)?;
        Ok(SealKey(Arc::new(SealInner { key, wrap })))
    }

    /// Unwraps the data key of `wrap` with `passcode` (slow: one Argon2id).
    pub fn unlock(passcode: &Passcode, wrap: &KeyWrap) -> Result<SealKey, CryptoError> {
        if !wrap.is_well_formed() {
            return Err(CryptoError::BadParameters);
        }
        let kek = derive_kek(passcode, &wrap.params, &wrap.salt.0)?;
        let cipher = XChaCha20Poly1305::new((&*kek).into());
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&wrap.wrap_nonce.0),
                    Payload {
                        msg: &wrap.wrapped_key.0,
                        aad: &wrap.associated_data(),
                    },
                )
                .map_err(|_| CryptoError::WrongPasscode)?,
        );
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if plain.len() != KEY_LEN {
            return Err(CryptoError::WrongPasscode);
        }
        key.copy_from_slice(&plain);
        Ok(SealKey(Arc::new(SealInner {
            key,
            wrap: wrap.clone(),
        })))
    }

    /// Tries `passcode` on the wraps of `wraps` that [`unlock_order`]
    /// picks (the current file's first, as [`super::key_wraps`] lists
    /// them), so that a store whose backups still carry an older wrap (a
    /// change interrupted by a crash) opens with either passcode. Runs
    /// Argon2id once per wrap tried.
    pub fn unlock_any(passcode: &Passcode, wraps: &[KeyWrap]) -> Result<SealKey, CryptoError> {
        let mut last = CryptoError::WrongPasscode;
        for wrap in unlock_order(wraps) {
            match SealKey::unlock(passcode, wrap) {
                Ok(k) => return Ok(k),
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    /// The same data key wrapped again, with new parameters (slow: one
    /// Argon2id). Used to upgrade weak parameters after an unlock; a
    /// passcode change makes a new key instead ([`SealKey::create`]).
    pub fn rewrap(&self, passcode: &Passcode, params: KdfParams) -> Result<SealKey, CryptoError> {
        let mut key_id = [0u8; 16];
        key_id.copy_from_slice(&self.0.wrap.key_id.0);
        let wrap = wrap_key(&self.0.key, key_id, passcode, params)?;
        Ok(SealKey(Arc::new(SealInner {
            key: self.0.key.clone(),
            wrap,
        })))
    }

    /// A key kept in a document together with its wrap (the backup key of
    /// `core::backup`): `None` if the bytes are not a key or the wrap is
    /// not well formed. Cheap: no Argon2id.
    pub(crate) fn from_stored(key: &[u8], wrap: &KeyWrap) -> Option<SealKey> {
        if key.len() != KEY_LEN || !wrap.is_well_formed() {
            return None;
        }
        let mut k = Zeroizing::new([0u8; KEY_LEN]);
        k.copy_from_slice(key);
        Some(SealKey(Arc::new(SealInner {
            key: k,
            wrap: wrap.clone(),
        })))
    }

    /// The data key's bytes, to keep it in a document ([`SealKey::from_stored`]).
    pub(crate) fn key_bytes(&self) -> &[u8] {
        &self.0.key[..]
    }

    /// Whether `passcode` opens this key's current wrap (slow).
    pub fn confirms(&self, passcode: &Passcode) -> bool {
        SealKey::unlock(passcode, &self.0.wrap).is_ok_and(|k| k.0.key == self.0.key)
    }

    /// The wrap written into headers.
    pub fn wrap(&self) -> &KeyWrap {
        &self.0.wrap
    }

    /// Whether a file whose header names `key_id` was sealed with this key.
    pub fn is_key(&self, key_id: &[u8]) -> bool {
        self.0.wrap.key_id.0 == key_id
    }

    /// A fresh random nonce for one save (never reused: 192 random bits).
    pub(crate) fn new_nonce() -> Result<[u8; NONCE_LEN], CryptoError> {
        random()
    }

    /// Seals `plain` under `nonce` (from [`SealKey::new_nonce`], used once)
    /// with `aad` as associated data.
    pub(crate) fn seal_with_nonce(
        &self,
        nonce: &[u8; NONCE_LEN],
        plain: &[u8],
        aad: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let cipher = XChaCha20Poly1305::new((&*self.0.key).into());
        cipher
            .encrypt(XNonce::from_slice(nonce), Payload { msg: plain, aad })
            .map_err(|_| CryptoError::Seal)
    }

    /// Opens what [`SealKey::seal_with_nonce`] sealed; `None` if it was tampered with
    /// (or sealed with another key or header).
    pub(crate) fn open(&self, nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
        if nonce.len() != NONCE_LEN {
            return None;
        }
        let cipher = XChaCha20Poly1305::new((&*self.0.key).into());
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad })
            .ok()
    }
}

/// The wraps [`SealKey::unlock_any`] tries, in order: the first of `wraps`
/// (the current file's), then each other distinct one whose cost is no
/// more than the first's or the app's own ([`KdfParams::APP`]), whichever
/// is more. Wraps above the ceiling are never tried. So a planted file with
/// costly settings is not tried at all, and unlocking costs at most what
/// the current file asks for (bounded by the ceiling) plus what the app
/// itself would write.
pub fn unlock_order(wraps: &[KeyWrap]) -> Vec<&KeyWrap> {
    let mut out: Vec<&KeyWrap> = Vec::new();
    let mut budget = KdfParams::APP;
    for wrap in wraps {
        if !wrap.is_well_formed() || out.contains(&wrap) {
            continue;
        }
        if out.is_empty() {
            if wrap.params.cost() > budget.cost() {
                budget = wrap.params;
            }
        } else if wrap.params.cost() > budget.cost() || wrap.params.p > budget.p.max(1) {
            continue;
        }
        out.push(wrap);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weak() -> KdfParams {
        KdfParams::weak_for_tests()
    }

    #[test]
    fn unlock_with_the_right_passcode_only() {
        let key = SealKey::create(&Passcode::new("correct horse"), weak()).unwrap();
        let again = SealKey::unlock(&Passcode::new("correct horse"), key.wrap()).unwrap();
        assert!(again.0.key == key.0.key);
        assert_eq!(
            SealKey::unlock(&Passcode::new("correct hors"), key.wrap()).unwrap_err(),
            CryptoError::WrongPasscode
        );
        assert!(key.confirms(&Passcode::new("correct horse")));
        assert!(!key.confirms(&Passcode::new("nope")));
    }

    #[test]
    fn rewrap_keeps_the_data_key_and_drops_the_old_passcode() {
        let key = SealKey::create(&Passcode::new("old passcode"), weak()).unwrap();
        let new = key.rewrap(&Passcode::new("new passcode"), weak()).unwrap();
        assert!(new.0.key == key.0.key);
        assert_eq!(new.wrap().key_id, key.wrap().key_id);
        assert_ne!(new.wrap().salt, key.wrap().salt);
        assert!(SealKey::unlock(&Passcode::new("old passcode"), new.wrap()).is_err());
        let both = [new.wrap().clone(), key.wrap().clone()];
        assert!(SealKey::unlock_any(&Passcode::new("old passcode"), &both).is_ok());
        assert!(SealKey::unlock_any(&Passcode::new("new passcode"), &both).is_ok());
        assert!(SealKey::unlock_any(&Passcode::new("x"), &both).is_err());
    }

    #[test]
    fn empty_passcode_and_tampered_wraps_are_refused() {
        assert_eq!(
            SealKey::create(&Passcode::new(""), weak()).unwrap_err(),
            CryptoError::EmptyPasscode
        );
        let key = SealKey::create(&Passcode::new("pw-123456"), weak()).unwrap();
        let mut wrap = key.wrap().clone();
        wrap.params.m_kib += 8;
        assert!(SealKey::unlock(&Passcode::new("pw-123456"), &wrap).is_err());
        let mut wrap = key.wrap().clone();
        wrap.params.m_kib = MAX_M_KIB + 1;
        assert_eq!(
            SealKey::unlock(&Passcode::new("pw-123456"), &wrap).unwrap_err(),
            CryptoError::BadParameters
        );
        let mut wrap = key.wrap().clone();
        wrap.key_id.0[0] ^= 1;
        assert!(SealKey::unlock(&Passcode::new("pw-123456"), &wrap).is_err());
    }

    #[test]
    fn seal_uses_a_fresh_nonce_and_binds_the_associated_data() {
        let key = SealKey::create(&Passcode::new("pw-123456"), weak()).unwrap();
        let (n1, n2) = (SealKey::new_nonce().unwrap(), SealKey::new_nonce().unwrap());
        let c1 = key.seal_with_nonce(&n1, b"secret note", b"header").unwrap();
        let c2 = key.seal_with_nonce(&n2, b"secret note", b"header").unwrap();
        assert_ne!(n1, n2);
        assert_ne!(c1, c2);
        assert_eq!(key.open(&n1, &c1, b"header").unwrap(), b"secret note");
        assert!(key.open(&n1, &c1, b"headex").is_none());
        let mut bad = c1.clone();
        bad[3] ^= 0x10;
        assert!(key.open(&n1, &bad, b"header").is_none());
    }

    #[test]
    fn new_passcodes_need_six_characters_and_nothing_else() {
        for short in ["a", "12345", "äöü"] {
            assert_eq!(
                SealKey::create(&Passcode::new(short), weak()).unwrap_err(),
                CryptoError::TooShort,
                "{short}"
            );
        }
        // Characters, not bytes; any characters at all.
        for ok in ["123456", "ääääää", "      ", "😔😔😔😔😔😔"] {
            assert!(Passcode::new(ok).check_new().is_ok(), "{ok}");
        }
        assert!(Passcode::new("😔😔😔").check_new().is_err());
    }

    #[test]
    fn parameters_above_the_ceiling_are_refused() {
        let key = SealKey::create(&Passcode::new("pw-123456"), weak()).unwrap();
        for params in [
            KdfParams {
                m_kib: MAX_M_KIB + 1,
                t: 1,
                p: 1,
            },
            KdfParams {
                m_kib: 64,
                t: MAX_T + 1,
                p: 1,
            },
            KdfParams {
                m_kib: 64,
                t: 1,
                p: MAX_P + 1,
            },
        ] {
            assert!(!params.is_allowed());
            let mut wrap = key.wrap().clone();
            wrap.params = params;
            assert!(!wrap.is_well_formed());
            assert_eq!(
                SealKey::unlock(&Passcode::new("pw-123456"), &wrap).unwrap_err(),
                CryptoError::BadParameters
            );
            assert!(unlock_order(&[wrap]).is_empty());
        }
        assert!(KdfParams::APP.is_allowed());
        assert!(KdfParams {
            m_kib: MAX_M_KIB,
            t: MAX_T,
            p: MAX_P
        }
        .is_allowed());
    }

    #[test]
    fn the_current_wrap_goes_first_and_costly_others_are_skipped() {
        let cur = SealKey::create(&Passcode::new("pw-123456"), weak()).unwrap();
        let other = SealKey::create(&Passcode::new("pw-654321"), weak()).unwrap();
        let mut costly = other.wrap().clone();
        costly.params = KdfParams {
            m_kib: MAX_M_KIB,
            t: MAX_T,
            p: 1,
        };
        let wraps = [
            cur.wrap().clone(),
            costly.clone(),
            other.wrap().clone(),
            cur.wrap().clone(),
        ];
        let order = unlock_order(&wraps);
        assert_eq!(order, vec![cur.wrap(), other.wrap()]);
        // A costly current file is tried (its cost is bounded by the ceiling).
        let wraps = [costly.clone(), cur.wrap().clone()];
        assert_eq!(unlock_order(&wraps), vec![&costly, cur.wrap()]);
    }

    #[test]
    fn app_parameters_meet_the_minimum() {
        let p = KdfParams::APP;
        assert!(p.m_kib >= 19 * 1024 && p.t >= 2 && p.p == 1);
    }
}
