//! Hand-written FFI declarations for the part of include/syswall.h that the
//! agent uses.  Types and signatures mirror the header one for one; the
//! opaque C objects are zero-sized types only ever used behind pointers.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_uint};

/// enum sw_code: the P1.7 codes (0 SUCCESS .. 8 EPANIC).
pub type sw_code = c_int;
/// enum sw_severity: 0 note, 1 warning, 2 error.
pub type sw_severity = c_int;

pub const SW_SUCCESS: sw_code = 0;
pub const SW_SEV_ERROR: sw_severity = 2;

#[repr(C)]
pub struct sw_error {
    _opaque: [u8; 0],
}

#[repr(C)]
pub struct sw_report {
    _opaque: [u8; 0],
}

#[repr(C)]
pub struct sw_config {
    _opaque: [u8; 0],
}

extern "C" {
    pub fn sw_code_name(code: sw_code) -> *const c_char;

    pub fn sw_error_code(err: *const sw_error) -> sw_code;
    pub fn sw_error_message(err: *const sw_error) -> *const c_char;
    pub fn sw_error_path(err: *const sw_error) -> *const c_char;
    pub fn sw_error_hint(err: *const sw_error) -> *const c_char;
    pub fn sw_error_free(err: *mut sw_error);

    pub fn sw_report_count(rep: *const sw_report) -> usize;
    pub fn sw_report_severity(rep: *const sw_report, i: usize) -> sw_severity;
    pub fn sw_report_file(rep: *const sw_report, i: usize) -> *const c_char;
    pub fn sw_report_line(rep: *const sw_report, i: usize) -> c_uint;
    pub fn sw_report_column(rep: *const sw_report, i: usize) -> c_uint;
    pub fn sw_report_path(rep: *const sw_report, i: usize) -> *const c_char;
    pub fn sw_report_message(rep: *const sw_report, i: usize) -> *const c_char;
    pub fn sw_report_free(rep: *mut sw_report);

    /// Read, check, compile, prove and load; nothing is loaded unless
    /// every step succeeds.  The filter covers every thread (thread sync).
    pub fn sw_apply_file(
        path: *const c_char,
        cfg: *const sw_config,
        report: *mut *mut sw_report,
        err: *mut *mut sw_error,
    ) -> sw_code;
}
