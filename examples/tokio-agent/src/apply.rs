//! A safe wrapper over sw_apply_file: Rust strings in, owned values out,
//! every C object freed before returning.

use std::ffi::{CStr, CString};
use std::fmt;
use std::ptr;

use crate::sys;

/// Why applying failed: the P1.7 code, the message and every error-level
/// diagnostic of the document ("file:line:col: message (at path)").
pub struct ApplyError {
    pub code: i32,
    pub name: String,
    pub message: String,
    pub diagnostics: Vec<String>,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)?;
        for d in &self.diagnostics {
            write!(f, "\n  {}", d)?;
        }
        Ok(())
    }
}

/// Copy a C string owned by libsyswall; NULL becomes None.
fn owned(p: *const std::os::raw::c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: libsyswall returns NUL-terminated strings that stay valid
    // until their object is freed, which happens after this copy.
    Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

fn code_name(code: sys::sw_code) -> String {
    // SAFETY: sw_code_name accepts any value and returns a static string.
    owned(unsafe { sys::sw_code_name(code) }).unwrap_or_default()
}

/// The error-level diagnostics of a report, then the report freed.
fn take_report(rep: *mut sys::sw_report) -> Vec<String> {
    let mut out = Vec::new();
    if rep.is_null() {
        return out;
    }

    // SAFETY: rep is a live report owned by us; indexes stay in range.
    unsafe {
        for i in 0..sys::sw_report_count(rep) {
            if sys::sw_report_severity(rep, i) != sys::SW_SEV_ERROR {
                continue;
            }
            let path = owned(sys::sw_report_path(rep, i)).unwrap_or_default();
            out.push(format!(
                "{}:{}:{}: {}{}",
                owned(sys::sw_report_file(rep, i)).unwrap_or_default(),
                sys::sw_report_line(rep, i),
                sys::sw_report_column(rep, i),
                owned(sys::sw_report_message(rep, i)).unwrap_or_default(),
                if path.is_empty() {
                    String::new()
                } else {
                    format!(" (at {})", path)
                }
            ));
        }
        sys::sw_report_free(rep);
    }
    out
}

/// Apply the whitelist at `path` to the whole process, every thread.
pub fn apply_file(path: &str) -> Result<(), ApplyError> {
    let cpath = CString::new(path).map_err(|_| ApplyError {
        code: 3,
        name: "ENOENT".into(),
        message: format!("{:?}: path holds a NUL byte", path),
        diagnostics: Vec::new(),
    })?;
    let mut rep: *mut sys::sw_report = ptr::null_mut();
    let mut err: *mut sys::sw_error = ptr::null_mut();

    // SAFETY: valid C string, NULL config (defaults), out pointers to
    // locals; ownership of *rep and *err passes to us.
    let mut code = unsafe { sys::sw_apply_file(cpath.as_ptr(), ptr::null(), &mut rep, &mut err) };
    let diagnostics = take_report(rep);
    if code == sys::SW_SUCCESS {
        // SAFETY: sw_error_free accepts NULL.
        unsafe { sys::sw_error_free(err) };
        return Ok(());
    }

    let mut message = String::from("applying the whitelist failed");
    if !err.is_null() {
        // SAFETY: err is a live error owned by us, freed right after.
        unsafe {
            code = sys::sw_error_code(err);
            message = owned(sys::sw_error_message(err)).unwrap_or(message);
            if let Some(p) = owned(sys::sw_error_path(err)) {
                message = format!("{}: {}", p, message);
            }
            if let Some(h) = owned(sys::sw_error_hint(err)) {
                message = format!("{} (hint: {})", message, h);
            }
            sys::sw_error_free(err);
        }
    }
    Err(ApplyError {
        code,
        name: code_name(code),
        message,
        diagnostics,
    })
}
