//! The fake's state: customers, payments, idempotency records, the fault queue and the request
//! log, shared by the server task and every [`FakeCommet`](crate::FakeCommet) handle.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::clock::Clock;
use crate::fault::{Fault, FaultFilter};
use crate::idempotency::{IdempotencyStore, KeyStyle};
use crate::payment::{NewPayment, Payment};
use crate::recorded::RecordedRequest;
use crate::webhooks::{Delivery, Endpoint, Outgoing};

/// A customer the fake knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Customer {
    pub(crate) id: String,
    pub(crate) external_id: Option<String>,
    pub(crate) has_payment_method: bool,
}

/// Customers, payments and idempotency records, changed under one lock so that every request
/// is processed atomically.
#[derive(Debug)]
pub(crate) struct Store {
    customers: Vec<Customer>,
    payments: Vec<Payment>,
    index: HashMap<String, usize>,
    pub(crate) idempotency: IdempotencyStore,
    pub(crate) clock: Clock,
    next_payment: u64,
    id_salt: String,
    /// Webhook events queued under the lock, delivered after it is released.
    pub(crate) outbox: Vec<Outgoing>,
    /// Where webhook events go.
    pub(crate) endpoints: Vec<Endpoint>,
}

impl Store {
    fn new() -> Store {
        let salt = RandomState::new().hash_one(0x636f_6d6d_6574_u64);
        Store {
            customers: Vec::new(),
            payments: Vec::new(),
            index: HashMap::new(),
            idempotency: IdempotencyStore::default(),
            clock: Clock::default(),
            next_payment: 0,
            id_salt: format!("{:08x}", salt & 0xffff_ffff),
            outbox: Vec::new(),
            endpoints: Vec::new(),
        }
    }

    /// Adds a customer, replacing one with the same id.
    pub(crate) fn add_customer(&mut self, customer: Customer) {
        self.customers.retain(|c| c.id != customer.id);
        self.customers.push(customer);
    }

    /// Finds a customer by Commet id first, then by external id.
    pub(crate) fn customer(&self, id_or_external: &str) -> Option<&Customer> {
        self.customers
            .iter()
            .find(|c| c.id == id_or_external)
            .or_else(|| {
                self.customers
                    .iter()
                    .find(|c| c.external_id.as_deref() == Some(id_or_external))
            })
    }

    /// Creates and stores a payment with a fresh id and timestamp.
    pub(crate) fn insert_payment(&mut self, new: NewPayment) -> &Payment {
        self.next_payment += 1;
        // The counter comes last and zero-padded, so ids of one fake sort in creation order.
        let id = format!("pay_{}{:010}", self.id_salt, self.next_payment);
        let now = self.clock.tick();
        let payment = Payment::create(id.clone(), new, now);
        self.index.insert(id, self.payments.len());
        self.payments.push(payment);
        let last = self.payments.len() - 1;
        &self.payments[last]
    }

    pub(crate) fn payment(&self, id: &str) -> Option<&Payment> {
        self.index.get(id).and_then(|&i| self.payments.get(i))
    }

    pub(crate) fn payment_mut(&mut self, id: &str) -> Option<&mut Payment> {
        self.index.get(id).and_then(|&i| self.payments.get_mut(i))
    }

    /// Every payment, in creation order.
    pub(crate) fn payments(&self) -> &[Payment] {
        &self.payments
    }
}

/// Everything the server and the handles share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) api_key: String,
    /// Where requests carry their idempotency key.
    pub(crate) key_style: KeyStyle,
    store: Mutex<Store>,
    faults: Mutex<VecDeque<(FaultFilter, Fault)>>,
    requests: Mutex<Vec<RecordedRequest>>,
    deliveries: Mutex<Vec<Delivery>>,
    request_counter: AtomicU64,
}

/// Locks a mutex, recovering the data if another thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn new(api_key: String, key_style: KeyStyle) -> Shared {
        Shared {
            api_key,
            key_style,
            store: Mutex::new(Store::new()),
            faults: Mutex::new(VecDeque::new()),
            requests: Mutex::new(Vec::new()),
            deliveries: Mutex::new(Vec::new()),
            request_counter: AtomicU64::new(0),
        }
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub(crate) fn record_delivery(&self, delivery: Delivery) {
        lock(&self.deliveries).push(delivery);
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.deliveries).clone()
    }

    /// A fresh `x-request-id`.
    pub(crate) fn next_request_id(&self) -> String {
        let n = self.request_counter.fetch_add(1, Ordering::Relaxed) + 1;
        format!("req_fake_{n:06}")
    }

    pub(crate) fn push_fault(&self, filter: FaultFilter, fault: Fault) {
        lock(&self.faults).push_back((filter, fault));
    }

    /// Removes and returns the first queued fault that applies to this request.
    pub(crate) fn take_fault(&self, method: &str, path: &str) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        let position = faults
            .iter()
            .position(|(filter, _)| filter.matches(method, path))?;
        faults.remove(position).map(|(_, fault)| fault)
    }

    pub(crate) fn pending_faults(&self) -> usize {
        lock(&self.faults).len()
    }

    pub(crate) fn clear_faults(&self) {
        lock(&self.faults).clear();
    }

    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    pub(crate) fn clear_requests(&self) {
        lock(&self.requests).clear();
    }
}
